// Jest in ESM mode (the Nest 12 / Apollo 5 / MCP SDK stack is ESM-only), transformed with SWC.
import { readFileSync } from 'node:fs';
import { BUNDLE_DIR } from './test/support/spec-bundles.mjs';
import { swcOptions } from './test/support/swc-options.mjs';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const libAliases = Object.fromEntries(
  Object.entries(pkg.imports).map(([alias, target]) => [`^${alias}$`, `<rootDir>/${target.source.slice(2)}`]),
);

const swc = ['@swc/jest', swcOptions];

const common = {
  rootDir: '.',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1', ...libAliases },
  testEnvironment: 'node',
};

export default {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts'] },
    { ...common, displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'e2e',
      // The full run loads the e2e and browser specs in bundles (test/support/spec-bundles.mjs, written by
      // test/run-suite.mjs); any other run finds them where they are.
      testMatch: process.env.TEST_SPEC_BUNDLES === '1' ? [`<rootDir>/${BUNDLE_DIR}/*.spec.ts`] : ['<rootDir>/test/e2e/**/*.spec.ts'],
    },
  ],
  // Two workers on a 2-core machine: the suite is CPU-bound (a third worker gained 8 %). Each worker has its own
  // Redis database.
  maxWorkers: 2,
  // A worker that ran many spec files carries a large heap (every file loads the app's module graph anew) and runs
  // each next file several times slower: replace it once it holds this much after a file. Half the time on 2 cores.
  workerIdleMemoryLimit: '400MB',
  testTimeout: 60_000,
  testSequencer: '<rootDir>/test/support/bundles-first-sequencer.mjs',
};

// The full run (`npm test` with no arguments) loads the e2e and browser spec files a few to one jest test file. Jest
// gives each test file a fresh module registry, so each loads the app's whole module graph again: about 3 s of CPU,
// which most of these specs pay on top of what they test. Bundled, a few specs pay it once. The specs stay where they
// are and run alone as before (`npm test -- test/e2e/<name>.e2e.spec.ts`); each full run writes the bundles anew
// (test/.bundles is ignored by git).
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const SPEC_DIR = 'test/e2e';
/** Where the bundles are written (relative to the project root); jest.config.js and run-suite.mjs read them there. */
export const BUNDLE_DIR = 'test/.bundles';
/** The browser specs (a hub and a Chromium each) run in a phase of their own, after the others. */
const BROWSER_DIR = 'dashboard/';
/** What the paths of the browser bundles contain, for jest's path patterns. */
export const BROWSER_BUNDLES = `/${BUNDLE_DIR}/browser-`;

/**
 * Writes every spec the e2e project would find (test/e2e/**\/*.spec.ts) into exactly one bundle in BUNDLE_DIR:
 * `browser-NN.spec.ts` (four specs each) for those under test/e2e/dashboard, `e2e-NN.spec.ts` (five each) for the
 * rest. Returns what each bundle holds.
 */
export function writeSpecBundles() {
  const specs = readdirSync(SPEC_DIR, { recursive: true }).filter((file) => file.endsWith('.spec.ts'));
  rmSync(BUNDLE_DIR, { recursive: true, force: true });
  mkdirSync(BUNDLE_DIR, { recursive: true });
  return [
    ...bundle('e2e', specs.filter((file) => !file.startsWith(BROWSER_DIR)), 5),
    ...bundle('browser', specs.filter((file) => file.startsWith(BROWSER_DIR)), 4),
  ];
}

/**
 * Specs go largest first to the smallest bundle so far, so bundles take about the same time and each mixes long specs
 * with short ones.
 */
function bundle(prefix, files, perBundle) {
  const specs = files
    .map((file) => ({ file, size: statSync(join(SPEC_DIR, file)).size }))
    .sort((a, b) => b.size - a.size || a.file.localeCompare(b.file));
  const bundles = Array.from({ length: Math.ceil(specs.length / perBundle) }, (_, i) => ({
    name: `${prefix}-${String(i + 1).padStart(2, '0')}.spec.ts`,
    size: 0,
    specs: [],
  }));
  for (const spec of specs) {
    const smallest = bundles.reduce((min, b) => (b.size < min.size ? b : min));
    smallest.specs.push(spec.file);
    smallest.size += spec.size;
  }
  for (const b of bundles) {
    const imports = b.specs.map((file) => `import '${relative(BUNDLE_DIR, join(SPEC_DIR, file)).replace(/\.ts$/, '.js')}';`);
    writeFileSync(join(BUNDLE_DIR, b.name), `// Written by test/run-suite.mjs for one full run (see test/support/spec-bundles.mjs).\n${imports.join('\n')}\n`);
  }
  return bundles.map(({ name, specs: held }) => ({ name, specs: held }));
}

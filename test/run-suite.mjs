// `npm test`: builds the dashboard, then runs the Node specs while the type-check (`npm run typecheck`) runs beside
// them, then the browser specs. The type-check (tsc is single-threaded) fills the CPU the two jest workers leave idle
// while specs wait on timers and outages; its output is held back and printed once the Node specs are done, so the
// two do not interleave. Each browser spec runs a hub and a Chromium; run alongside the Node specs on a 2-core machine
// they starved the timing-sensitive ones (health checks, shutdown). Both phases load their specs a few to a jest test
// file (test/support/spec-bundles.mjs). Arguments (`npm test -- <spec>`) go to one plain jest run instead, the
// type-check still beside it.
import { spawn } from 'node:child_process';
import { BROWSER_BUNDLES, writeSpecBundles } from './support/spec-bundles.mjs';

/** Runs a command to its end; `quiet` keeps its output and returns it instead of passing it through. */
function run(command, args, { quiet = false, env = process.env } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit', env });
    let output = '';
    if (quiet) for (const stream of [child.stdout, child.stderr]) stream.on('data', (chunk) => (output += chunk));
    child.on('error', (error) => resolve({ status: 1, output: `${output}${command}: ${error.message}\n` }));
    child.on('close', (code, signal) => resolve({ status: code ?? (signal ? 1 : 0), output }));
  });
}

const jest = async (args, env = {}) =>
  (await run(process.execPath, ['--experimental-vm-modules', 'node_modules/jest/bin/jest.js', ...args], { env: { ...process.env, ...env } })).status;

const built = await run('npm', ['run', 'build:dashboard', '--silent']);
if (built.status !== 0) process.exit(built.status);

const typechecked = run('npm', ['run', 'typecheck', '--silent'], { quiet: true });
const args = process.argv.slice(2);
if (args.length) {
  const specs = await jest(args);
  const types = await typechecked;
  report(types);
  process.exit(specs || types.status);
}

for (const bundle of writeSpecBundles()) process.stdout.write(`${bundle.name}: ${bundle.specs.join(', ')}\n`);
const bundled = { TEST_SPEC_BUNDLES: '1' };
const node = await jest(['--testPathIgnorePatterns', BROWSER_BUNDLES], bundled);
const types = await typechecked;
report(types);
const browsers = await jest(['--selectProjects', 'e2e', '--testPathPatterns', BROWSER_BUNDLES], bundled);
process.exit(node || types.status || browsers);

function report(types) {
  process.stdout.write(`\n==> type-check: ${types.status === 0 ? 'passed' : 'FAILED'}\n${types.status === 0 ? '' : types.output}`);
}

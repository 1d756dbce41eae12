// `npm test` after type-checking and building the dashboard: the Node specs first, then the browser specs. Each
// browser spec runs a hub and a Chromium; run alongside the Node specs on a 2-core machine they starved the
// timing-sensitive ones (health checks, shutdown). Arguments (`npm test -- <spec>`) go to one plain jest run instead.
import { spawnSync } from 'node:child_process';

const jest = (args) =>
  spawnSync(process.execPath, ['--experimental-vm-modules', 'node_modules/jest/bin/jest.js', ...args], { stdio: 'inherit' }).status ?? 1;

const args = process.argv.slice(2);
if (args.length) process.exit(jest(args));

const browser = '/test/e2e/dashboard/';
const node = jest(['--testPathIgnorePatterns', browser]);
const browsers = jest(['--selectProjects', 'e2e', '--testPathPatterns', browser]);
process.exit(node || browsers);

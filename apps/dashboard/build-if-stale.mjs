// `npm start` builds the dashboard only when something it is built from is newer than the last build: a start on
// an unchanged tree skips Vite (the TypeScript side is incremental through dist/.tsbuildinfo).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const built = (() => {
  try {
    return statSync('dist/dashboard/index.html').mtimeMs;
  } catch {
    return 0;
  }
})();

/** The newest modification time under `path` (a file or a folder). */
function newest(path) {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}

const sources = ['apps/dashboard/src', 'apps/dashboard/index.html', 'apps/dashboard/vite.config.ts', 'apps/dashboard/public', 'package-lock.json', 'schema.gql'];
if (built && Math.max(...sources.map(newest)) < built) {
  console.log('dashboard: up to date (dist/dashboard)');
} else {
  const { status } = spawnSync('npm', ['run', 'build:dashboard'], { stdio: 'inherit' });
  process.exit(status ?? 1);
}

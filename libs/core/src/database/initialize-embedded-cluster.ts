import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';

// CommonJS for `node -e`: the library is compiled TypeScript in dist/ but TypeScript source under jest; an inline
// script runs in both.
const INITDB_SCRIPT = `
const [pglite, location, settings] = process.argv.slice(1);
require(pglite).PGlite.create(location, { postgresqlconf: JSON.parse(settings) }).then((db) => db.close());
`;

/**
 * Creates the cluster in an empty data directory in a child process. initdb runs a WASM Postgres of its own, and
 * what it leaves behind (compiled code, malloc arenas) would stay in the hub's RSS for good, about 110 MB; a
 * worker thread does not help, its arenas stay with the process. A directory that holds a cluster is left alone.
 */
export async function initializeEmbeddedCluster(location: string, settings: string[]): Promise<void> {
  if (existsSync(join(location, 'PG_VERSION'))) return;
  const pglite = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  await promisify(execFile)(process.execPath, ['-e', INITDB_SCRIPT, pglite, location, JSON.stringify(settings)]);
}

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import type { PGlite } from '@electric-sql/pglite';
import { initializeEmbeddedCluster } from './initialize-embedded-cluster.js';

/** PGlite runs one query at a time; the pg pool must not open more connections than the socket server accepts. */
export const EMBEDDED_MAX_CONNECTIONS = 4;

/**
 * Memory settings for a database that serves one hub: every page of WASM memory Postgres touches stays in the
 * hub's RSS for good, and the defaults (128 MB shared buffers, 64 MB for index builds) are sized for a server.
 * Data pages beyond the buffers are read through the OS page cache, which RSS does not count.
 */
const EMBEDDED_SETTINGS = ['shared_buffers=16MB', 'maintenance_work_mem=16MB'];

export interface RunningEmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
  /** The whole cluster as a tarball, to start another one from (tests start from a migrated copy). */
  dumpDataDir(): Promise<Blob>;
}

export interface EmbeddedStartOptions {
  /** A dumpDataDir() tarball that replaces the empty cluster: it skips initdb, most of the seconds a start takes. */
  initialData?: Blob;
  /** Extra initdb arguments for an in-memory cluster (tests: a small WAL segment makes a small tarball). */
  initdbArgs?: string[];
}

/**
 * Embedded Postgres (PGlite, WASM) served on a loopback port over the Postgres wire protocol, so the normal `pg`
 * driver, TypeORM and its CLI work unchanged. `dataDir` undefined = in-memory (tests).
 */
export async function startEmbeddedPostgres(dataDir?: string, options: EmbeddedStartOptions = {}): Promise<RunningEmbeddedPostgres> {
  const { initialData, initdbArgs = [] } = options;
  let location = 'memory://';
  if (dataDir) {
    if (initdbArgs.length) throw new Error('startEmbeddedPostgres: initdbArgs is for an in-memory cluster, not a data directory');
    location = join(dataDir, 'pgdata');
    mkdirSync(location, { recursive: true });
    if (!initialData) await initializeEmbeddedCluster(location, EMBEDDED_SETTINGS);
  }
  // Postgres's WASM compiled by the baseline compiler only: the optimizing tier added ~45 MB of RSS for code that
  // runs mostly at start-up (migrations), and the agent call path runs no queries. Set back once the database is up,
  // so WASM compiled later (undici's HTTP parser, on the upstream call path) gets the optimizing tier.
  setFlagsFromString('--liftoff-only');
  // Imported here, not above: a hub on PostgreSQL imports this module (through #core) and never loads PGlite (~6 MB).
  const [{ PGlite }, { PGLiteSocketServer }] = await Promise.all([import('@electric-sql/pglite'), import('@electric-sql/pglite-socket')]);
  let db: PGlite;
  try {
    db = await PGlite.create(location, {
      postgresqlconf: EMBEDDED_SETTINGS,
      initDbStartParams: initdbArgs,
      ...(initialData ? { loadDataDir: initialData } : {}),
    });
  } finally {
    setFlagsFromString('--no-liftoff-only');
  }
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: EMBEDDED_MAX_CONNECTIONS });
  await server.start();
  return {
    url: `postgres://postgres@${server.getServerConn()}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
    dumpDataDir: () => db.dumpDataDir('none'),
  };
}

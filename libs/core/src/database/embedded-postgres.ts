import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/** PGlite runs one query at a time; the pg pool must not open more connections than the socket server accepts. */
export const EMBEDDED_MAX_CONNECTIONS = 4;

export interface RunningEmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
  /** The whole cluster as a tarball, to start another one from (tests start from a migrated copy). */
  dumpDataDir(): Promise<Blob>;
}

/**
 * Embedded Postgres (PGlite, WASM) served on a loopback port over the Postgres wire protocol, so the normal `pg`
 * driver, TypeORM and its CLI work unchanged. `dataDir` undefined = in-memory (tests). `initialData` (a
 * dumpDataDir() tarball) replaces the empty cluster: it skips initdb, most of the seconds a start takes.
 */
export async function startEmbeddedPostgres(dataDir?: string, initialData?: Blob): Promise<RunningEmbeddedPostgres> {
  let location = 'memory://';
  if (dataDir) {
    location = join(dataDir, 'pgdata');
    mkdirSync(location, { recursive: true });
  }
  const db = await PGlite.create(location, initialData ? { loadDataDir: initialData } : {});
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

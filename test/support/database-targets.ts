import { randomBytes } from 'node:crypto';
import { startEmbeddedPostgres } from '#core';
import { queryDatabase } from './database-query.js';
import { migratedPgliteTarball, migratedPostgresTemplate } from './migrated-snapshots.js';

/**
 * Where database specs run: embedded PGlite always, and real PostgreSQL when TEST_DATABASE_URL is set
 * (.ci/run sets it). Each target hands out a fresh, empty database per spec file.
 */
export interface DatabaseTarget {
  name: 'pglite' | 'postgres';
  /** Connections the app may open: PGlite serves one at a time safely. */
  poolSize: number;
  /**
   * Creates a database, empty or (`migrated`) a copy of one with every migration applied, which is much faster to
   * get than migrating; returns its URL and a dispose function.
   */
  create(options?: { migrated?: boolean }): Promise<{ url: string; dispose(): Promise<void> }>;
}

const pglite: DatabaseTarget = {
  name: 'pglite',
  poolSize: 1,
  async create(options) {
    const running = await startEmbeddedPostgres(undefined, { initialData: options?.migrated ? await migratedPgliteTarball() : undefined });
    return { url: running.url, dispose: () => running.stop() };
  },
};

function postgres(adminUrl: string): DatabaseTarget {
  return {
    name: 'postgres',
    poolSize: 10,
    async create(options) {
      const name = `mcphub_t_${randomBytes(6).toString('hex')}`;
      const template = options?.migrated ? await migratedPostgresTemplate(adminUrl) : undefined;
      await queryDatabase(adminUrl, template ? `CREATE DATABASE ${name} TEMPLATE ${template}` : `CREATE DATABASE ${name}`);
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      return {
        url: url.toString(),
        async dispose() {
          await queryDatabase(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        },
      };
    },
  };
}

export const databaseTargets: DatabaseTarget[] = [
  pglite,
  ...(process.env.TEST_DATABASE_URL ? [postgres(process.env.TEST_DATABASE_URL)] : []),
];

/**
 * Each jest worker gets a Redis database of its own (TEST_REDIS_URL's, then the ones below it), since specs flush
 * theirs and BullMQ queues share names.
 */
export const redisUrl: string | undefined = workerRedisUrl(process.env.TEST_REDIS_URL, Number(process.env.JEST_WORKER_ID ?? 1));

function workerRedisUrl(base: string | undefined, worker: number): string | undefined {
  if (!base) return undefined;
  const url = new URL(base);
  const db = Number(url.pathname.slice(1) || 0) - (worker - 1);
  if (db < 0) throw new Error(`TEST_REDIS_URL: database ${url.pathname.slice(1) || 0} leaves no database for jest worker ${worker}`);
  url.pathname = `/${db}`;
  return url.toString();
}

import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from './migrations/index.js';

/** One definition of how the hub talks to Postgres, shared by the app and the TypeORM CLI (ormconfig.ts). */
export function dataSourceOptions(url: string, embedded: boolean): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    synchronize: false,
    // gen_random_uuid() is built into Postgres 13+ and PGlite; uuid-ossp is not available on PGlite.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    // Each migration in its own transaction: a failed one rolls back alone and leaves earlier ones applied.
    migrationsTransactionMode: 'each',
    // Embedded: one connection. pglite-socket interleaves the protocol messages of concurrent connections, so a
    // query arriving while another connection's transaction is open can run against the wrong prepared statement
    // (or hang). One connection queues in the pg pool instead; PGlite runs one query at a time anyway.
    extra: { max: embedded ? 1 : 10 },
  };
}

import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from './migrations/index.js';

/** One definition of how the hub talks to Postgres, shared by the app and the TypeORM CLI (ormconfig.ts). */
export function dataSourceOptions(url: string, poolSize: number): DataSourceOptions {
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
    // Embedded PGlite must get 1: it has one backend, and pglite-socket interleaves the wire messages of
    // concurrent connections (Parse/Bind/Execute of two queries mix and the backend drops the connection).
    extra: { max: poolSize },
  };
}

import { MigrationExecutor, type DataSource, type Migration } from 'typeorm';

/**
 * Key of the session advisory lock held while migrations run. Fixed and arbitrary (the bytes of "mcphub01"), so
 * every hub of one installation asks for the same lock and nothing else on the database is likely to.
 */
export const MIGRATIONS_LOCK_KEY = '7882267366776778801';

/**
 * Applies pending migrations under a PostgreSQL advisory lock, so hubs starting together against one database run
 * each migration once: the others wait for the lock, then find nothing pending. The lock and the migrations share
 * one connection (embedded PGlite has only one), and a session lock outlives each migration's own transaction.
 */
export async function runMigrationsOnce(dataSource: DataSource): Promise<Migration[]> {
  const runner = dataSource.createQueryRunner();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATIONS_LOCK_KEY]);
    try {
      const executor = new MigrationExecutor(dataSource, runner);
      executor.transaction = dataSource.options.migrationsTransactionMode ?? 'all';
      return await executor.executePendingMigrations();
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATIONS_LOCK_KEY]);
    }
  } finally {
    await runner.release();
  }
}

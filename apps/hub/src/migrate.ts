// `npm run migration:run`, or `node dist/apps/hub/src/migrate.js` in the hub's image: applies pending migrations
// as a starting hub does, under the same PostgreSQL advisory lock, so it is safe to run while hubs start (they wait
// for it, or it for them, and each migration runs once). Embedded mode: stop the hub first (PGlite is one process).
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { ConfigError, dataSourceOptions, loadConfig, runMigrationsOnce, startEmbeddedPostgres, type RunningEmbeddedPostgres } from '#core';

async function migrate(): Promise<string[]> {
  const { config } = loadConfig();
  let embedded: RunningEmbeddedPostgres | undefined;
  const url = config.databaseUrl ?? (embedded = await startEmbeddedPostgres(config.dataDir)).url;
  const dataSource = await new DataSource(dataSourceOptions(url, 1)).initialize();
  try {
    return (await runMigrationsOnce(dataSource)).map((m) => m.name);
  } finally {
    await dataSource.destroy();
    await embedded?.stop();
  }
}

migrate().then(
  (applied) => console.log(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(', ')}` : 'No pending migrations.'),
  (error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : `Migrations failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);

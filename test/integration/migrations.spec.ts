import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { MIGRATIONS, dataSourceOptions } from '#core';
import { databaseTargets } from '../support/database-targets.js';

describe.each(databaseTargets.map((t) => [t.name, t] as const))('migrations on %s', (_name, target) => {
  let db: { url: string; dispose(): Promise<void> };
  let dataSource: DataSource;
  const tables = async () =>
    (await dataSource.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`)).map((r: { table_name: string }) => r.table_name);

  beforeAll(async () => {
    db = await target.create();
    dataSource = await new DataSource(dataSourceOptions(db.url, target.poolSize)).initialize();
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await db?.dispose();
  });

  it('should apply every migration, revert them all, and apply them again', async () => {
    await dataSource.runMigrations();
    expect(await tables()).toEqual(
      expect.arrayContaining(['users', 'api_keys', 'mcp_servers', 'server_replicas', 'server_health_checks', 'groups', 'group_servers', 'group_revisions', 'routing_rules', 'usage_hourly', 'migrations']),
    );
    for (let i = 0; i < MIGRATIONS.length; i++) await dataSource.undoLastMigration();
    expect(await tables()).toEqual(['migrations']);
    await dataSource.runMigrations();
    expect((await dataSource.query('SELECT count(*)::int AS n FROM migrations'))[0].n).toBe(MIGRATIONS.length);
  });

  it('should use gen_random_uuid, not the uuid-ossp extension', async () => {
    const [row] = await dataSource.query(`INSERT INTO users (email, role) VALUES ('uuid@example.com', 'MEMBER') RETURNING id`);
    expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
    const extensions = await dataSource.query(`SELECT extname FROM pg_extension WHERE extname = 'uuid-ossp'`);
    expect(extensions).toEqual([]);
  });
});

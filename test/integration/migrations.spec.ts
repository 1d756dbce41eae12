import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { MIGRATIONS, dataSourceOptions } from '#core';
import { databaseTargets } from '../support/database-targets.js';

type Queryable = Pick<DataSource, 'query'>;

/**
 * The public schema as data: tables, columns (type, nullability, default), indexes, constraints, enum types with
 * their labels, sequences, views, functions and triggers. Sorted by name, so a down() that re-creates a column at
 * another position still compares equal, but one that leaves a column, index or type behind does not.
 */
async function schemaSnapshot(db: Queryable) {
  const q = (sql: string) => db.query(sql) as Promise<Record<string, unknown>[]>;
  return {
    tables: await q(`SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`),
    columns: await q(
      `SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default, character_maximum_length, numeric_precision, numeric_scale
         FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, column_name`,
    ),
    indexes: await q(`SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY tablename, indexname`),
    constraints: await q(
      `SELECT c.relname AS table_name, k.conname, k.contype, pg_get_constraintdef(k.oid) AS definition
         FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' ORDER BY 1, 2`,
    ),
    enums: await q(
      `SELECT t.typname, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) AS labels
         FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE n.nspname = 'public' GROUP BY t.typname ORDER BY 1`,
    ),
    sequences: await q(`SELECT sequence_name, data_type FROM information_schema.sequences WHERE sequence_schema = 'public' ORDER BY 1`),
    views: await q(`SELECT table_name, view_definition FROM information_schema.views WHERE table_schema = 'public' ORDER BY 1`),
    functions: await q(
      `SELECT p.proname, pg_get_function_identity_arguments(p.oid) AS args
         FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public' ORDER BY 1, 2`,
    ),
    triggers: await q(
      `SELECT c.relname AS table_name, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND NOT t.tgisinternal ORDER BY 1, 2`,
    ),
  };
}

describe.each(databaseTargets.map((t) => [t.name, t] as const))('migrations on %s', (_name, target) => {
  let db: { url: string; dispose(): Promise<void> };
  let dataSource: DataSource;
  const tables = async () =>
    (await dataSource.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`)).map((r: { table_name: string }) => r.table_name);

  /** Applies the first `count` migrations through TypeORM's own runner (a DataSource that knows only those). */
  const migrateTo = async (count: number) => {
    const partial = await new DataSource({ ...dataSourceOptions(db.url, target.poolSize), migrations: MIGRATIONS.slice(0, count) }).initialize();
    try {
      const applied = await partial.runMigrations();
      expect(applied).toHaveLength(1);
    } finally {
      await partial.destroy();
    }
  };

  beforeAll(async () => {
    db = await target.create();
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await db?.dispose();
  });

  it('should restore the exact schema of before each up() when that migration alone is reverted', async () => {
    // Up one at a time, snapshotting the schema before each migration (the migrations table itself comes first,
    // so snapshot 0 is taken after TypeORM creates it: reverting everything must come back to exactly that).
    const probe = await new DataSource({ ...dataSourceOptions(db.url, target.poolSize), migrations: [] }).initialize();
    await probe.runMigrations();
    const before: Awaited<ReturnType<typeof schemaSnapshot>>[] = [await schemaSnapshot(probe)];
    await probe.destroy();
    for (let i = 0; i < MIGRATIONS.length; i++) {
      await migrateTo(i + 1);
      const reader = await new DataSource({ ...dataSourceOptions(db.url, target.poolSize), migrations: [] }).initialize();
      before.push(await schemaSnapshot(reader));
      await reader.destroy();
      // Every migration changes the schema; an empty one would make its down() check vacuous.
      expect(before[i + 1]).not.toEqual(before[i]);
    }

    dataSource = await new DataSource(dataSourceOptions(db.url, target.poolSize)).initialize();
    expect(await tables()).toEqual(
      expect.arrayContaining(['users', 'api_keys', 'mcp_servers', 'server_endpoints', 'server_health_checks', 'groups', 'group_servers', 'group_revisions', 'routing_rules', 'usage_hourly', 'notification_channels', 'notification_deliveries', 'audit_log', 'teams', 'team_members', 'resource_shares', 'migrations']),
    );
    // Down one at a time: after each single down() the schema is what it was before that migration's up().
    for (let i = MIGRATIONS.length - 1; i >= 0; i--) {
      await dataSource.undoLastMigration();
      const name = MIGRATIONS[i].name;
      expect({ migration: name, schema: await schemaSnapshot(dataSource) }).toEqual({ migration: name, schema: before[i] });
    }
    expect(await tables()).toEqual(['migrations']);
    await dataSource.runMigrations();
    expect((await dataSource.query('SELECT count(*)::int AS n FROM migrations'))[0].n).toBe(MIGRATIONS.length);
    expect(await schemaSnapshot(dataSource)).toEqual(before[MIGRATIONS.length]);
  });

  it('should use gen_random_uuid, not the uuid-ossp extension', async () => {
    const [row] = await dataSource.query(`INSERT INTO users (email, role) VALUES ('uuid@example.com', 'MEMBER') RETURNING id`);
    expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
    const extensions = await dataSource.query(`SELECT extname FROM pg_extension WHERE extname = 'uuid-ossp'`);
    expect(extensions).toEqual([]);
  });
});

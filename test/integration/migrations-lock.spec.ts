import { afterAll, describe, expect, it } from '@jest/globals';
import { Module, type INestApplicationContext, type LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { ConfigModule, DatabaseModule, MIGRATIONS, MIGRATIONS_LOCK_KEY } from '#core';
import { databaseTargets } from '../support/database-targets.js';
import { testConfig } from '../support/test-config.js';
import { waitFor } from '../support/upstreams.js';

/** Nest's errors during boot: a failed migration run shows here even when a retry of the connection then succeeds. */
const bootErrors: string[] = [];
const errorsOnly: LoggerService = { log: () => undefined, warn: () => undefined, error: (message: unknown) => void bootErrors.push(String(message)) };

/** What a hub's boot does with the database, and nothing else: connect, then apply pending migrations. */
function bootDatabase(url: string, poolSize: number): Promise<INestApplicationContext> {
  const config = testConfig({ DATABASE_URL: url, DATABASE_POOL_SIZE: String(poolSize) });
  @Module({ imports: [ConfigModule.forRoot(config), DatabaseModule.forRoot({ runMigrations: true })] })
  class HubDatabaseModule {}
  return NestFactory.createApplicationContext(HubDatabaseModule, { logger: errorsOnly, abortOnError: false });
}

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

async function appliedMigrations(app: INestApplicationContext): Promise<{ name: string; runs: number }[]> {
  const rows: { name: string; runs: number }[] = await app.get(DataSource).query('SELECT name, count(*)::int AS runs FROM migrations GROUP BY name');
  return rows.sort(byName);
}

describe.each(databaseTargets.map((t) => [t.name, t] as const))('migrations at hub start on %s', (name, target) => {
  const apps: INestApplicationContext[] = [];
  const disposals: (() => Promise<void>)[] = [];

  afterAll(async () => {
    for (const app of apps) await app.close();
    for (const dispose of disposals) await dispose();
  });

  // PGlite is one process (one hub): the lock is taken and released on its one connection without waiting.
  const hubs = name === 'postgres' ? 3 : 1;

  it(`should apply every migration exactly once when ${hubs} hub(s) start together on a fresh database`, async () => {
    const db = await target.create();
    disposals.push(db.dispose);
    const boots = await Promise.allSettled(Array.from({ length: hubs }, () => bootDatabase(db.url, target.poolSize)));
    for (const boot of boots) if (boot.status === 'fulfilled') apps.push(boot.value);
    expect(boots.map((b) => (b.status === 'fulfilled' ? 'started' : String(b.reason)))).toEqual(Array(hubs).fill('started'));
    // Without the lock the losers' migrations fail (duplicate types and tables) and only TypeORM's retry hides it.
    expect(bootErrors).toEqual([]);
    const expected = MIGRATIONS.map((m) => ({ name: m.name, runs: 1 })).sort(byName);
    for (const app of apps) expect(await appliedMigrations(app)).toEqual(expected);
    // Released after the run: a later start takes it again at once (a lock left held would hang this boot).
    const later = await bootDatabase(db.url, target.poolSize);
    apps.push(later);
    const [{ held }] = await later.get(DataSource).query(`SELECT count(*)::int AS held FROM pg_locks WHERE locktype = 'advisory'`);
    expect(held).toBe(0);
  });
});

const postgres = databaseTargets.find((t) => t.name === 'postgres');

(postgres ? describe : describe.skip)('npm run migration:run (apps/hub/src/migrate.ts) on postgres', () => {
  it('should wait for the lock a starting hub holds, then apply every migration once', async () => {
    const db = await postgres!.create();
    const hub = new pg.Client({ connectionString: db.url });
    await hub.connect();
    try {
      await hub.query('SELECT pg_advisory_lock($1)', [MIGRATIONS_LOCK_KEY]); // a hub migrating right now
      const cli = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', join(import.meta.dirname, '../../apps/hub/src/migrate.ts')], {
        env: { ...process.env, DATABASE_URL: db.url, HUB_ENCRYPTION_KEY: randomBytes(32).toString('base64'), JWT_SECRET: randomBytes(32).toString('hex'), LOG_LEVEL: 'silent' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      cli.stdout.on('data', (chunk) => (output += chunk));
      cli.stderr.on('data', (chunk) => (output += chunk));
      const exited = once(cli, 'exit');
      const waiting = async () => (await hub.query(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`)).rows[0].n === 1;
      await waitFor(waiting, 30_000, 'the CLI to wait for the advisory lock');
      // Nothing applied while it waits: without the lock it would be creating tables now.
      expect((await hub.query(`SELECT to_regclass('public.migrations') AS t`)).rows[0].t).toBeNull();
      await hub.query('SELECT pg_advisory_unlock($1)', [MIGRATIONS_LOCK_KEY]);
      const [code] = await exited;
      expect({ code, output }).toEqual({ code: 0, output: expect.stringContaining(`Applied ${MIGRATIONS.length} migration(s)`) });
      const { rows } = await hub.query('SELECT name, count(*)::int AS runs FROM migrations GROUP BY name');
      expect(rows.sort(byName)).toEqual(MIGRATIONS.map((m) => ({ name: m.name, runs: 1 })).sort(byName));
    } finally {
      await hub.end();
      await db.dispose();
    }
  });
});

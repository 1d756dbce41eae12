import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions, startEmbeddedPostgres } from '#core';
import { queryDatabase } from './database-query.js';

/**
 * Migrated databases to copy instead of migrating each spec's from nothing. A fresh PGlite spends seconds in initdb
 * alone, and most e2e files boot one or two hubs: starting from a migrated tarball (PGlite) or template database
 * (PostgreSQL) takes a fraction of that. Both are keyed by the migrations' source, so a changed migration makes a
 * new copy; the hub still runs its migrations at boot (none left to apply).
 */
const MIGRATIONS_DIR = new URL('../../libs/core/src/database/migrations/', import.meta.url);

const migrationsHash = (() => {
  let cached: string | undefined;
  return () => {
    if (cached) return cached;
    const hash = createHash('sha256');
    for (const file of readdirSync(MIGRATIONS_DIR).sort()) hash.update(file).update(readFileSync(new URL(file, MIGRATIONS_DIR)));
    cached = hash.digest('hex').slice(0, 16);
    return cached;
  };
})();

async function migrate(url: string, poolSize: number): Promise<void> {
  const dataSource = await new DataSource(dataSourceOptions(url, poolSize)).initialize();
  try {
    await dataSource.runMigrations();
  } finally {
    await dataSource.destroy();
  }
}

/**
 * A PGlite cluster with every migration applied, as a dumpDataDir() tarball; built once per migrations source.
 * Every spec that boots an embedded hub loads it into memory, file by file, so it is kept small: 1 MB WAL segments
 * instead of 16 MB, and no template databases (nothing here creates a database in PGlite). 42 MB became 18, and a
 * start from it in a jest worker takes 0.5–0.7 s instead of 1.4.
 */
export async function migratedPgliteTarball(): Promise<Blob> {
  const dir = join(tmpdir(), 'mcphub-test-snapshots');
  const file = join(dir, `pglite-small-${migrationsHash()}.tar`);
  try {
    return new Blob([readFileSync(file)]);
  } catch {
    // Not built yet (or built by another jest worker meanwhile: both write whole files and rename, so either wins).
  }
  const running = await startEmbeddedPostgres(undefined, { initdbArgs: ['--wal-segsize=1'] });
  try {
    await migrate(running.url, 1);
    for (const template of ['template0', 'template1']) {
      await queryDatabase(running.url, `ALTER DATABASE ${template} IS_TEMPLATE false`);
      await queryDatabase(running.url, `DROP DATABASE ${template}`);
    }
    await queryDatabase(running.url, 'CHECKPOINT');
    const tarball = await running.dumpDataDir();
    mkdirSync(dir, { recursive: true });
    const partial = `${file}.${process.pid}.part`;
    writeFileSync(partial, Buffer.from(await tarball.arrayBuffer()));
    renameSync(partial, file);
    return tarball;
  } finally {
    await running.stop();
  }
}

/**
 * The name of a PostgreSQL template database with every migration applied, made once per migrations source and
 * role (under an advisory lock, since jest workers ask at the same time). All but the newest few older ones are dropped.
 */
export async function migratedPostgresTemplate(adminUrl: string): Promise<string> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    // Per role: a role without superuser may copy only databases it owns (CI's test role and a developer's
    // `postgres` share one server here).
    const { rows } = await admin.query<{ role: string }>('SELECT current_user AS role');
    const prefix = `mcphub_tpl_${rows[0].role.replace(/[^a-z0-9]/gi, '').slice(0, 20).toLowerCase()}_`;
    const name = `${prefix}${migrationsHash()}`;
    await admin.query(`SELECT pg_advisory_lock(hashtext('mcphub-test-template'))`);
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) {
      // Older templates go, but not the newest few: another checkout running its specs at the same time (other
      // migrations, another hash) may be copying its own right now.
      const stale = await admin.query<{ datname: string }>(
        `SELECT datname FROM pg_database WHERE starts_with(datname, $1) AND datname NOT LIKE '%\\_building' ORDER BY oid DESC OFFSET 3`,
        [prefix],
      );
      for (const { datname } of stale.rows) await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
      const building = `${name}_building`;
      await admin.query(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${building}`);
      const url = new URL(adminUrl);
      url.pathname = `/${building}`;
      await migrate(url.toString(), 1);
      // Renamed only once complete: a crash mid-build leaves no half-migrated template behind under the real name.
      await admin.query(`ALTER DATABASE ${building} RENAME TO ${name}`);
    }
    return name;
  } finally {
    await admin.query(`SELECT pg_advisory_unlock(hashtext('mcphub-test-template'))`).catch(() => undefined);
    await admin.end();
  }
}

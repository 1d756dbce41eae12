import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';

/** What the database says about a table: its columns, primary key and unique constraints. */
export interface TableShape {
  table: string;
  columns: string[];
  primaryKey: string[];
  /** Column sets of each unique constraint or index other than the primary key. */
  uniques: string[][];
}

export type Row = Record<string, unknown>;

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Rows of any table as JSON and back, the way Postgres itself converts them (to_jsonb / jsonb_populate_record):
 * bytea, arrays, enums, jsonb and timestamps round-trip without per-table code. Backups reach every table through
 * this one place; the domains keep their own repositories for everything else.
 */
@Injectable()
export class TableRowsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Runs `work` in one REPEATABLE READ transaction: every table read from the same snapshot. */
  snapshot<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction('REPEATABLE READ', work);
  }

  async lastMigration(manager: EntityManager = this.dataSource.manager): Promise<string> {
    const rows = (await manager.query(`SELECT "name" FROM "migrations" ORDER BY "timestamp" DESC LIMIT 1`)) as { name: string }[];
    return rows[0]?.name ?? '';
  }

  async tablesInDatabase(manager: EntityManager): Promise<string[]> {
    const rows = (await manager.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`)) as { table_name: string }[];
    return rows.map((r) => r.table_name);
  }

  async shape(manager: EntityManager, table: string): Promise<TableShape> {
    const columns = (await manager.query(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 AND is_generated = 'NEVER' AND identity_generation IS DISTINCT FROM 'ALWAYS' ORDER BY ordinal_position`,
      [table],
    )) as { column_name: string }[];
    const indexes = (await manager.query(
      `SELECT i.indisprimary AS "primary", array_agg(a.attname::text ORDER BY k.ord) AS "columns"
         FROM pg_index i
         JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord) ON true
         JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
        WHERE i.indrelid = to_regclass($1) AND i.indisunique AND i.indpred IS NULL
        GROUP BY i.indexrelid, i.indisprimary`,
      [ident(table)],
    )) as { primary: boolean; columns: string[] }[];
    return {
      table,
      columns: columns.map((c) => c.column_name),
      primaryKey: indexes.find((i) => i.primary)?.columns ?? [],
      uniques: indexes.filter((i) => !i.primary).map((i) => i.columns),
    };
  }

  async readAll(manager: EntityManager, shape: TableShape): Promise<Row[]> {
    const order = shape.primaryKey.map(ident).join(', ') || '1';
    const rows = (await manager.query(`SELECT to_jsonb(t) AS "row" FROM ${ident(shape.table)} t ORDER BY ${order}`)) as { row: Row }[];
    return rows.map((r) => pick(r.row, shape.columns));
  }

  /** The rows matching `where` (SQL over the alias `t`, with `params`): one person's rows for a USER archive. */
  async readWhere(manager: EntityManager, shape: TableShape, where: string, params: unknown[]): Promise<Row[]> {
    const order = shape.primaryKey.map((c) => `t.${ident(c)}`).join(', ') || '1';
    const rows = (await manager.query(`SELECT to_jsonb(t) AS "row" FROM ${ident(shape.table)} t WHERE ${where} ORDER BY ${order}`, params)) as { row: Row }[];
    return rows.map((r) => pick(r.row, shape.columns));
  }

  async findByKey(manager: EntityManager, shape: TableShape, key: string[], row: Row): Promise<Row[]> {
    const where = key.map((c) => `t.${ident(c)} = (SELECT ${ident(c)} FROM jsonb_populate_record(null::${ident(shape.table)}, $1::jsonb))`).join(' AND ');
    // Only the key's values are cast: a value the column refuses elsewhere in the row (an unknown enum value) is for
    // the domain checks or the insert to report, not a failed lookup.
    const rows = (await manager.query(`SELECT to_jsonb(t) AS "row" FROM ${ident(shape.table)} t WHERE ${where}`, [JSON.stringify(pick(row, key))])) as { row: Row }[];
    return rows.map((r) => pick(r.row, shape.columns));
  }

  /** Inserts the row's given columns; the others take their defaults. */
  async insert(manager: EntityManager, shape: TableShape, row: Row): Promise<void> {
    const cols = Object.keys(row).map(ident).join(', ');
    await manager.query(`INSERT INTO ${ident(shape.table)} (${cols}) SELECT ${cols} FROM jsonb_populate_record(null::${ident(shape.table)}, $1::jsonb)`, [JSON.stringify(row)]);
  }

  /** Sets every non-key column the row gives on the row with its primary key. */
  async update(manager: EntityManager, shape: TableShape, row: Row): Promise<void> {
    const cols = Object.keys(row).filter((c) => !shape.primaryKey.includes(c));
    if (!cols.length) return;
    const list = cols.map(ident).join(', ');
    const where = shape.primaryKey.map((c) => `${ident(c)} = (SELECT ${ident(c)} FROM jsonb_populate_record(null::${ident(shape.table)}, $1::jsonb))`).join(' AND ');
    await manager.query(`UPDATE ${ident(shape.table)} SET (${list}) = (SELECT ${list} FROM jsonb_populate_record(null::${ident(shape.table)}, $1::jsonb)) WHERE ${where}`, [
      JSON.stringify(row),
    ]);
  }

  async deleteByKey(manager: EntityManager, shape: TableShape, row: Row): Promise<void> {
    const where = shape.primaryKey.map((c) => `${ident(c)} = (SELECT ${ident(c)} FROM jsonb_populate_record(null::${ident(shape.table)}, $1::jsonb))`).join(' AND ');
    await manager.query(`DELETE FROM ${ident(shape.table)} WHERE ${where}`, [JSON.stringify(row)]);
  }

  /** Savepoints let one row fail (a conflict, a missing parent) without losing the rest of the transaction. */
  async attempt<T>(manager: EntityManager, work: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; code: string; detail: string }> {
    await manager.query('SAVEPOINT backup_row');
    try {
      const value = await work();
      await manager.query('RELEASE SAVEPOINT backup_row');
      return { ok: true, value };
    } catch (error) {
      await manager.query('ROLLBACK TO SAVEPOINT backup_row');
      const driver = (error as { driverError?: { code?: string; detail?: string; message?: string } }).driverError ?? (error as { code?: string; detail?: string; message?: string });
      if (driver.code !== '23505' && driver.code !== '23503' && driver.code !== '23502' && driver.code !== '23514') throw error;
      return { ok: false, code: driver.code, detail: driver.detail ?? driver.message ?? '' };
    }
  }
}

function pick(row: Row, columns: string[]): Row {
  const out: Row = {};
  for (const c of columns) if (c in row) out[c] = row[c];
  return out;
}

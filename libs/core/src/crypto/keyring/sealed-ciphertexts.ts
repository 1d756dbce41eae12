import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { SealedColumnRegistry, type SealedColumn } from '../sealed-columns.js';

export type Row = Record<string, unknown>;

/** `table.column`: how rotations name a registered column. */
export const columnName = (c: Pick<SealedColumn, 'table' | 'column'>) => `${c.table}.${c.column}`;

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The key id part of a ciphertext, in SQL (`v1.<keyId>.…`). */
const keyIdSql = (expr: string) => `split_part(${expr}, '.', 2)`;

/**
 * Every ciphertext of every registered column, read and rewritten with plain SQL: no entity listeners, no
 * config-change events (a re-sealed value has the same plaintext, so nothing downstream must react).
 */
@Injectable()
export class SealedCiphertexts {
  constructor(
    private readonly registry: SealedColumnRegistry,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  columns(): SealedColumn[] {
    return this.registry.all();
  }

  /** Ciphertexts per key id, and per column within it. */
  async countByKey(columns: SealedColumn[] = this.columns()): Promise<Map<string, Map<string, number>>> {
    const out = new Map<string, Map<string, number>>();
    for (const c of columns) {
      const rows = (await this.dataSource.query(`SELECT ${keyIdSql('v')} AS key_id, count(*)::int AS n FROM (${valuesSql(c)}) s GROUP BY 1`)) as { key_id: string; n: number }[];
      for (const { key_id, n } of rows) {
        const perColumn = out.get(key_id) ?? new Map<string, number>();
        perColumn.set(columnName(c), n);
        out.set(key_id, perColumn);
      }
    }
    return out;
  }

  /** Ciphertexts that name another key than `keyId`. */
  async countNotUnder(keyId: string, columns: SealedColumn[] = this.columns()): Promise<number> {
    let total = 0;
    for (const c of columns) {
      const [{ n }] = (await this.dataSource.query(`SELECT count(*)::int AS n FROM (${valuesSql(c)}) s WHERE ${keyIdSql('v')} <> $1`, [keyId])) as { n: number }[];
      total += n;
    }
    return total;
  }

  /** Up to `limit` rows of `c` holding a ciphertext not under `keyId`, in key order after `after` (keyset paging). */
  async rowsNotUnder(c: SealedColumn, keyId: string, after: unknown[] | null, limit: number): Promise<Row[]> {
    const params: unknown[] = [keyId];
    const conditions = [c.shape === 'text' ? `${ident(c.column)} IS NOT NULL AND ${keyIdSql(ident(c.column))} <> $1` : `EXISTS (SELECT 1 FROM jsonb_array_elements(${ident(c.column)}) e WHERE ${keyIdSql("e->>'value'")} <> $1)`];
    if (after) {
      conditions.push(`(${c.key.map(ident).join(', ')}) > (${after.map((v) => `$${params.push(v)}`).join(', ')})`);
    }
    params.push(limit);
    return (await this.dataSource.query(
      `SELECT * FROM ${ident(c.table)} WHERE ${conditions.join(' AND ')} ORDER BY ${c.key.map(ident).join(', ')} LIMIT $${params.length}`,
      params,
    )) as Row[];
  }

  /** `manager`: the caller's transaction (a rotation writes a batch and its progress in one). */
  async reread(c: SealedColumn, row: Row, manager: EntityManager = this.dataSource.manager): Promise<Row | null> {
    const rows = (await manager.query(`SELECT * FROM ${ident(c.table)} WHERE ${keyWhere(c, 1)}`, c.key.map((k) => row[k]))) as Row[];
    return rows[0] ?? null;
  }

  /** Compare-and-set: writes `next` only if the column still holds `before`; false when the row changed meanwhile. */
  async replace(c: SealedColumn, row: Row, before: unknown, next: unknown, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    const keys = c.key.map((k) => row[k]);
    const n = keys.length;
    const cast = c.shape === 'entries' ? '::jsonb' : '';
    const encode = (v: unknown) => (c.shape === 'entries' ? JSON.stringify(v) : v);
    const updated = (await manager.query(
      `UPDATE ${ident(c.table)} SET ${ident(c.column)} = $${n + 1}${cast} WHERE ${keyWhere(c, 1)} AND ${ident(c.column)} = $${n + 2}${cast} RETURNING 1`,
      [...keys, encode(next), encode(before)],
    )) as unknown[];
    return updatedRows(updated) > 0;
  }
}

/** One row per ciphertext of the column, as `v`. */
function valuesSql(c: SealedColumn): string {
  return c.shape === 'text'
    ? `SELECT ${ident(c.column)} AS v FROM ${ident(c.table)} WHERE ${ident(c.column)} IS NOT NULL`
    : `SELECT e->>'value' AS v FROM ${ident(c.table)}, jsonb_array_elements(${ident(c.table)}.${ident(c.column)}) e`;
}

function keyWhere(c: SealedColumn, first: number): string {
  return c.key.map((k, i) => `${ident(k)} = $${first + i}`).join(' AND ');
}

/** TypeORM's postgres driver answers an UPDATE … RETURNING with [rows, count]. */
function updatedRows(result: unknown[]): number {
  return Array.isArray(result[0]) ? (result[0] as unknown[]).length : result.length;
}

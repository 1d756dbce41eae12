import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode, SealedColumnRegistry, SecretBox, type SealedColumn } from '#core';
import { BACKED_UP_TABLES, NOT_BACKED_UP } from '../backed-up-tables.js';
import type { Row } from './table-rows.repository.js';

/** A SecretBox ciphertext (`v1.<keyId>.<iv>.<body>`): how a sealed value left unregistered is recognised. */
const SEALED = /^v1\.[0-9a-f]{8}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

type Entries = { name: string; value: string }[];

/**
 * Moves every secret of a row from one SecretBox to another with the same associated data: the hub's box to the
 * archive's (backup), the archive's to the hub's (restore). Which columns hold secrets, and their context, is what
 * the domains registered in SealedColumnRegistry; nothing here knows a table.
 */
@Injectable()
export class SecretResealer {
  constructor(
    private readonly registry: SealedColumnRegistry,
    readonly hubBox: SecretBox,
  ) {}

  /** Refuses a backup that would carry a secret it cannot re-seal, or leave a table of secrets out. */
  assertCoverage(): void {
    const listed = new Set([...BACKED_UP_TABLES.map((t) => t.table), ...NOT_BACKED_UP]);
    const unlisted = this.registry.all().filter((c) => !c.transient && !listed.has(c.table));
    if (unlisted.length) {
      throw new DomainError(ErrorCode.CONFLICT, `Table "${unlisted[0].table}" holds sealed secrets but is in neither list of libs/backup/src/backed-up-tables.ts: add it to one`);
    }
  }

  columnsOf(table: string): SealedColumn[] {
    return this.registry.all().filter((c) => c.table === table);
  }

  /** Re-seals the row's registered secrets; a ciphertext in a column nobody registered stops the backup. */
  reseal(table: string, row: Row, from: SecretBox, to: SecretBox): Row {
    const sealed = this.columnsOf(table);
    const out = { ...row };
    for (const column of sealed) {
      const value = row[column.column];
      if (value === null || value === undefined) continue;
      out[column.column] =
        column.shape === 'text'
          ? to.seal(from.open(String(value), column.context(row)), column.context(row))
          : (value as Entries).map((e) => ({ ...e, value: to.seal(from.open(e.value, column.context(row, e.name)), column.context(row, e.name)) }));
    }
    const names = new Set(sealed.map((c) => c.column));
    for (const [name, value] of Object.entries(row)) {
      if (!names.has(name) && looksSealed(value)) {
        throw new DomainError(
          ErrorCode.CONFLICT,
          `Column ${table}.${name} holds sealed secrets that no module registered in SealedColumnRegistry: the backup cannot re-seal them`,
        );
      }
    }
    return out;
  }

  /** The row with its secrets opened: compares a restored row with the hub's, whatever key sealed either. */
  opened(table: string, row: Row, box: SecretBox): Row {
    const out = { ...row };
    for (const column of this.columnsOf(table)) {
      const value = row[column.column];
      if (value === null || value === undefined) continue;
      try {
        out[column.column] =
          column.shape === 'text' ? box.open(String(value), column.context(row)) : (value as Entries).map((e) => ({ ...e, value: box.open(e.value, column.context(row, e.name)) }));
      } catch {
        out[column.column] = { unreadable: true };
      }
    }
    return out;
  }
}

function looksSealed(value: unknown): boolean {
  if (typeof value === 'string') return SEALED.test(value);
  if (Array.isArray(value)) return value.some((e) => typeof e === 'object' && e !== null && typeof (e as { value?: unknown }).value === 'string' && SEALED.test((e as { value: string }).value));
  return false;
}

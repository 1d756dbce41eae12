import { DomainError } from '#core';
import type { Row } from '../../snapshot/table-rows.repository.js';
import { ConflictStrategy, RestoreAction } from '../restore-report.js';
import { sameRow } from '../same-row.js';
import { configurationOf } from './user-rows.js';

const RENAME_ATTEMPTS = 20;

/** The hub's row of `table` with the row's values in the `key` columns (secrets opened), if any. */
export type HubRowLookup = (table: string, key: string[], row: Row) => Promise<Row | undefined>;

export type Decision =
  | { action: RestoreAction.UNCHANGED; existing: Row }
  | { action: RestoreAction.SKIP; reason: string }
  | { action: RestoreAction.CREATE | RestoreAction.UPDATE | RestoreAction.RENAME | RestoreAction.REPLACE; slug: string; existing?: Row; replaces?: string; reason: string | null };

/**
 * What to do with a server or group of the archive, given the hub's rows with its id or its slug. The hub's
 * things are only changed or replaced when the access policy lets the restorer do that by hand.
 */
export async function decideOwned(
  strategy: ConflictStrategy,
  hubRow: HubRowLookup,
  table: string,
  kind: string,
  row: Row,
  may: { change: (id: string) => Promise<unknown>; remove: (id: string) => Promise<unknown> },
): Promise<Decision> {
  const slug = String(row.slug);
  const existing = await hubRow(table, ['id'], row);
  const holder = await hubRow(table, ['slug'], row);
  if (existing) {
    if (!(await allowed(() => may.change(String(row.id))))) return { action: RestoreAction.SKIP, reason: `the hub has a ${kind} with this id that you may not change` };
    if (sameRow(configurationOf(existing), configurationOf(row))) return { action: RestoreAction.UNCHANGED, existing };
    if (strategy !== ConflictStrategy.OVERWRITE) return { action: RestoreAction.SKIP, reason: `the hub has this ${kind} with other values; kept the hub’s` };
    if (holder && holder.id !== row.id) return { action: RestoreAction.SKIP, reason: `another ${kind} holds slug ${slug}` };
    return { action: RestoreAction.UPDATE, slug, existing, reason: null };
  }
  if (!holder) return { action: RestoreAction.CREATE, slug, reason: null };
  if (strategy === ConflictStrategy.RENAME) {
    for (let n = 1; n <= RENAME_ATTEMPTS; n++) {
      const renamed = `${slug}-restored${n === 1 ? '' : `-${n}`}`;
      if (!(await hubRow(table, ['slug'], { slug: renamed }))) return { action: RestoreAction.RENAME, slug: renamed, reason: `slug ${slug} → ${renamed}` };
    }
  }
  if (strategy === ConflictStrategy.OVERWRITE && (await allowed(() => may.remove(String(holder.id))))) {
    return { action: RestoreAction.REPLACE, slug, replaces: String(holder.id), reason: `replaced your ${kind} holding slug ${slug}` };
  }
  return { action: RestoreAction.SKIP, reason: `another ${kind} holds slug ${slug}` };
}

/** A replica or rule: under a restored parent, by id. */
export function decideChild(strategy: ConflictStrategy, existing: Row | undefined, row: Row, parent: string, kind: string): { action: RestoreAction; reason: string | null } {
  if (!existing) return { action: RestoreAction.CREATE, reason: null };
  if (existing[parent] !== row[parent]) return { action: RestoreAction.SKIP, reason: `the hub has a ${kind} with this id elsewhere` };
  if (sameRow(configurationOf(existing), configurationOf(row))) return { action: RestoreAction.UNCHANGED, reason: null };
  if (strategy !== ConflictStrategy.OVERWRITE) return { action: RestoreAction.SKIP, reason: `the hub has this ${kind} with other values; kept the hub’s` };
  return { action: RestoreAction.UPDATE, reason: null };
}

/** Whether the access policy lets the check pass (its refusal is an answer here, not an error). */
export async function allowed(check: () => Promise<unknown>): Promise<boolean> {
  try {
    await check();
    return true;
  } catch (error) {
    if (error instanceof DomainError) return false;
    throw error;
  }
}

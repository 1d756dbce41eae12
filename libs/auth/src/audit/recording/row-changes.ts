import type { AuditChange, AuditFieldChange } from '../audit-entry.entity.js';
import { auditedOptions } from './audited.decorator.js';

/** The part of TypeORM's ColumnMetadata the recorder reads. */
export interface RecordedColumn {
  propertyName: string;
  databaseName: string;
  isPrimary: boolean;
  isCreateDate: boolean;
  isUpdateDate: boolean;
  isVersion: boolean;
  getEntityValue(entity: object): unknown;
}

/** The part of TypeORM's EntityMetadata the recorder reads. */
export interface RecordedEntity {
  name: string;
  target: unknown;
  columns: RecordedColumn[];
  primaryColumns: RecordedColumn[];
}

/** Secret by name whatever the entity declares: a new table with a token or a sealed URL is safe by default. */
const SECRET_NAME = /pass(word|phrase)?|secret|token|hash|credential|private|salt|cookie|authorization|sealed|api_?key$/i;
export const SECRET_CHANGED = '[secret changed]';
/** Longer values are cut (text) or summarised (JSON): an entry stays small and a capability dump does not bloat it. */
export const MAX_VALUE_CHARS = 1_000;

export function auditName(meta: RecordedEntity): string {
  return auditedOptions(meta.target).name ?? meta.name;
}

export function isOmitted(meta: RecordedEntity): boolean {
  return auditedOptions(meta.target).omit === true;
}

export function isSecret(meta: RecordedEntity, column: RecordedColumn): boolean {
  return (
    (auditedOptions(meta.target).secrets ?? []).includes(column.propertyName) ||
    SECRET_NAME.test(column.propertyName) ||
    SECRET_NAME.test(column.databaseName)
  );
}

/** A JSON-safe, bounded copy of a column value; undefined when there is nothing to show. */
export function auditValue(value: unknown): unknown {
  if (value === undefined || typeof value === 'function') return undefined;
  if (value === null || typeof value === 'boolean' || typeof value === 'number') return value;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof Uint8Array) return '[binary]';
  if (typeof value === 'string') return value.length > MAX_VALUE_CHARS ? `${value.slice(0, MAX_VALUE_CHARS)}… (${value.length} characters)` : value;
  const json = JSON.stringify(value);
  if (json === undefined) return undefined;
  return json.length > MAX_VALUE_CHARS ? `[JSON of ${json.length} characters]` : (JSON.parse(json) as unknown);
}

/** The row's id as text: the primary key, or `a=1,b=2` for a composite one. */
export function rowId(meta: RecordedEntity, row: object | undefined): string | null {
  if (!row || !meta.primaryColumns.length) return null;
  const parts = meta.primaryColumns.map((c) => [c.propertyName, c.getEntityValue(row)] as const);
  if (parts.some(([, v]) => v === undefined || v === null)) return null;
  return parts.length === 1 ? String(parts[0][1]) : parts.map(([k, v]) => `${k}=${String(v)}`).join(',');
}

const isBookkeeping = (c: RecordedColumn) => c.isCreateDate || c.isUpdateDate || c.isVersion;
const shownInFields = (meta: RecordedEntity, c: RecordedColumn) => !isBookkeeping(c) && !(c.isPrimary && meta.primaryColumns.length === 1);

/** A new row: every field it was given (secret ones only as `[secret changed]`). */
export function insertChange(meta: RecordedEntity, row: object): AuditChange {
  const fields: AuditFieldChange[] = [];
  for (const column of meta.columns.filter((c) => shownInFields(meta, c))) {
    const value = column.getEntityValue(row);
    if (value === undefined || value === null || (Array.isArray(value) && !value.length)) continue;
    fields.push(isSecret(meta, column) ? secretField(column.propertyName, undefined, value) : { name: column.propertyName, new: auditValue(value) });
  }
  return { entity: auditName(meta), id: rowId(meta, row), op: 'INSERT', fields };
}

/**
 * A changed row. With `save()` TypeORM names the changed columns and has the row as it was; a query-builder update
 * gives only the values set (and no id), so those are recorded as new values.
 */
export function updateChange(meta: RecordedEntity, row: object, before: object | undefined, changed: readonly RecordedColumn[]): AuditChange {
  const columns = changed.length ? changed : meta.columns.filter((c) => c.getEntityValue(row) !== undefined);
  const fields: AuditFieldChange[] = [];
  for (const column of columns.filter((c) => shownInFields(meta, c))) {
    const next = column.getEntityValue(row);
    const previous = before ? column.getEntityValue(before) : undefined;
    if (isSecret(meta, column)) fields.push(secretField(column.propertyName, previous, next));
    else fields.push(withoutUndefined({ name: column.propertyName, old: auditValue(previous), new: auditValue(next) }));
  }
  return { entity: auditName(meta), id: rowId(meta, before) ?? rowId(meta, row), op: 'UPDATE', fields };
}

/** A removed row: its id and what it held (secret fields left out), so the log tells what went away. */
export function removeChange(meta: RecordedEntity, row: object | undefined, id: string | null): AuditChange {
  const fields: AuditFieldChange[] = [];
  for (const column of row ? meta.columns.filter((c) => shownInFields(meta, c) && !isSecret(meta, c)) : []) {
    const value = auditValue(column.getEntityValue(row!));
    if (value !== undefined && value !== null) fields.push({ name: column.propertyName, old: value });
  }
  return { entity: auditName(meta), id: id ?? rowId(meta, row), op: 'DELETE', fields };
}

/** No value, ever; for a list of {name, value} entries (env, headers) the names whose value came, went or changed. */
function secretField(name: string, previous: unknown, next: unknown): AuditFieldChange {
  const entries = changedEntryNames(previous, next);
  return { name, secret: true, new: SECRET_CHANGED, ...(entries ? { entries } : {}) };
}

type NamedEntry = { name: string; value: unknown };
const namedEntries = (v: unknown): NamedEntry[] | undefined =>
  Array.isArray(v) && v.every((e) => e && typeof e === 'object' && typeof (e as NamedEntry).name === 'string') ? (v as NamedEntry[]) : undefined;

function changedEntryNames(previous: unknown, next: unknown): string[] | undefined {
  const after = namedEntries(next);
  const before = previous === undefined || previous === null ? [] : namedEntries(previous);
  if (!after || !before) return undefined;
  const old = new Map(before.map((e) => [e.name, JSON.stringify(e.value)]));
  const now = new Map(after.map((e) => [e.name, JSON.stringify(e.value)]));
  const names = new Set([...old.keys(), ...now.keys()]);
  return [...names].filter((n) => old.get(n) !== now.get(n)).sort();
}

function withoutUndefined(field: AuditFieldChange): AuditFieldChange {
  return Object.fromEntries(Object.entries(field).filter(([, v]) => v !== undefined)) as unknown as AuditFieldChange;
}

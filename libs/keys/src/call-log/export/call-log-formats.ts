import type { CallLogRow } from '../call-log.repository.js';

export const EXPORT_COLUMNS = [
  'id', 'at', 'keyId', 'keyName', 'userId', 'groupId', 'groupSlug', 'serverId', 'serverSlug', 'replicaId',
  'method', 'name', 'outcome', 'latencyMs', 'error', 'correlationId', 'arguments', 'result',
] as const satisfies readonly (keyof CallLogRow)[];

/** Spreadsheet programs run a cell starting with one of these as a formula (CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV cell: always quoted (quotes doubled), and text that a spreadsheet would read as a formula is prefixed with
 * an apostrophe so it stays text. Values come from agents (tool names, errors, arguments): never trust them.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = value instanceof Date ? value.toISOString() : String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return `"${text.replaceAll('"', '""')}"`;
}

export const csvHeader = (): string => `${EXPORT_COLUMNS.join(',')}\r\n`;

export const csvLine = (row: CallLogRow): string => `${EXPORT_COLUMNS.map((c) => csvCell(row[c])).join(',')}\r\n`;

export const ndjsonLine = (row: CallLogRow): string => `${JSON.stringify(Object.fromEntries(EXPORT_COLUMNS.map((c) => [c, row[c]])))}\n`;

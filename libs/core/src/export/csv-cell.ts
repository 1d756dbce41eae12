/** Spreadsheet programs run a cell starting with one of these as a formula or DDE command (CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV cell (RFC 4180): always quoted, quotes doubled, and text a spreadsheet would read as a formula prefixed
 * with an apostrophe so it stays text. Exported values come from agents and callers: never trust them.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = value instanceof Date ? value.toISOString() : String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return `"${text.replaceAll('"', '""')}"`;
}

import { csvCell } from '#core';
import type { AuditEntry } from '../audit-entry.entity.js';

export type ExportFormat = 'ndjson' | 'csv';

/** Columns of the CSV export, in order; `changes` is the JSON of the changed rows. */
export const CSV_COLUMNS = [
  'id',
  'at',
  'actor_id',
  'actor_label',
  'auth_method',
  'action',
  'target_type',
  'target_id',
  'outcome',
  'error_code',
  'error_message',
  'ip',
  'user_agent',
  'correlation_id',
  'changes',
] as const;

/** What an entry looks like in an export (the same names as the columns of the table). */
export function exportRecord(e: AuditEntry): Record<(typeof CSV_COLUMNS)[number], unknown> {
  return {
    id: e.id,
    at: e.at.toISOString(),
    actor_id: e.actorId,
    actor_label: e.actorLabel,
    auth_method: e.authMethod,
    action: e.action,
    target_type: e.targetType,
    target_id: e.targetId,
    outcome: e.outcome,
    error_code: e.errorCode,
    error_message: e.errorMessage,
    ip: e.ip,
    user_agent: e.userAgent,
    correlation_id: e.correlationId,
    changes: e.changes,
  };
}

export function csvHeader(): string {
  return `${CSV_COLUMNS.join(',')}\r\n`;
}

export function csvLine(e: AuditEntry): string {
  const record = exportRecord(e);
  return `${CSV_COLUMNS.map((c) => csvCell(c === 'changes' ? JSON.stringify(record.changes) : (record[c] as string | null))).join(',')}\r\n`;
}

export function ndjsonLine(e: AuditEntry): string {
  return `${JSON.stringify(exportRecord(e))}\n`;
}

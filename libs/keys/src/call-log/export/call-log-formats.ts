import { csvCell } from '#core';
import type { CallLogRow } from '../call-log.repository.js';

export const EXPORT_COLUMNS = [
  'id', 'at', 'keyId', 'keyName', 'userId', 'groupId', 'groupSlug', 'serverId', 'serverSlug', 'replicaId',
  'method', 'name', 'outcome', 'latencyMs', 'error', 'correlationId', 'arguments', 'result',
] as const satisfies readonly (keyof CallLogRow)[];

export const csvHeader = (): string => `${EXPORT_COLUMNS.join(',')}\r\n`;

export const csvLine = (row: CallLogRow): string => `${EXPORT_COLUMNS.map((c) => csvCell(row[c])).join(',')}\r\n`;

export const ndjsonLine = (row: CallLogRow): string => `${JSON.stringify(Object.fromEntries(EXPORT_COLUMNS.map((c) => [c, row[c]])))}\n`;

import { badInput } from '#core';
import type { AuditPosition } from './audit-log.repository.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Opaque to clients: base64url of the last entry's time (ms) and id. */
export function encodeCursor(position: AuditPosition): string {
  return Buffer.from(`${position.at.getTime()}:${position.id}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, field = 'after'): AuditPosition {
  const [ms, id, extra] = cursor.length <= 100 ? Buffer.from(cursor, 'base64url').toString('utf8').split(':') : [];
  const at = new Date(Number(ms));
  if (!ms || !/^\d+$/.test(ms) || Number.isNaN(at.getTime()) || !id || !UUID.test(id) || extra !== undefined) {
    throw badInput(field, 'is not a cursor from this list (pass pageInfo.endCursor unchanged)');
  }
  return { at, id };
}

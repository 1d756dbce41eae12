import { badInput } from '#core';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A position in the servers list (oldest first): servers strictly after it come next. */
export interface ServerPosition {
  /** Registration time, to the millisecond (the listing orders by it truncated likewise). */
  at: Date;
  id: string;
}

/** Opaque to clients: base64url of the last server's registration time (ms) and id. */
export function encodeServerCursor(position: ServerPosition): string {
  return Buffer.from(`${position.at.getTime()}:${position.id}`, 'utf8').toString('base64url');
}

export function decodeServerCursor(cursor: string, field = 'after'): ServerPosition {
  const [ms, id, extra] = cursor.length <= 100 ? Buffer.from(cursor, 'base64url').toString('utf8').split(':') : [];
  const at = new Date(Number(ms));
  if (!ms || !/^\d+$/.test(ms) || Number.isNaN(at.getTime()) || !id || !UUID.test(id) || extra !== undefined) {
    throw badInput(field, 'is not a cursor from this list (pass pageInfo.endCursor unchanged)');
  }
  return { at, id };
}

import { badInput } from '#core';

export interface DeliveryPosition {
  createdAt: Date;
  id: string;
}

/** Opaque to clients: the (createdAt, id) of the last delivery on a page, newest first. */
export function encodeCursor(position: DeliveryPosition): string {
  return Buffer.from(JSON.stringify([position.createdAt.toISOString(), position.id])).toString('base64url');
}

export function decodeCursor(cursor: string, field = 'after'): DeliveryPosition {
  const invalid = () => badInput(field, 'is not a cursor returned by notificationDeliveries (endCursor)');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parsed) || parsed.length !== 2 || typeof parsed[0] !== 'string' || typeof parsed[1] !== 'string') throw invalid();
  const createdAt = new Date(parsed[0]);
  if (Number.isNaN(createdAt.getTime()) || !/^[0-9a-f-]{36}$/i.test(parsed[1])) throw invalid();
  return { createdAt, id: parsed[1] };
}

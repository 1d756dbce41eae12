import { badInput } from '#core';

/**
 * A position in the keys listing (newest first): the last key's creation time as PostgreSQL holds it (microseconds,
 * which a JavaScript Date would round away, so two keys made in the same millisecond are neither skipped nor repeated)
 * and its id.
 */
export interface ApiKeyPosition {
  /** UTC, `YYYY-MM-DDTHH:MM:SS.ffffffZ`. */
  createdAt: string;
  id: string;
}

const CREATED_AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Opaque to clients: base64url of the position. */
export function encodeApiKeyCursor(position: ApiKeyPosition): string {
  return Buffer.from(`${position.createdAt}|${position.id}`, 'utf8').toString('base64url');
}

export function decodeApiKeyCursor(cursor: string, field = 'after'): ApiKeyPosition {
  const [createdAt, id, extra] = cursor.length <= 100 ? Buffer.from(cursor, 'base64url').toString('utf8').split('|') : [];
  if (!createdAt || !CREATED_AT.test(createdAt) || Number.isNaN(Date.parse(createdAt)) || !id || !UUID.test(id) || extra !== undefined) {
    throw badInput(field, 'is not a cursor from this list (pass pageInfo.endCursor unchanged)');
  }
  return { createdAt, id };
}

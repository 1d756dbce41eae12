import { badInput } from '#core';

/** Opaque to clients: base64url of the last listed user's email (unique, and the list's order). */
export function encodeUserCursor(email: string): string {
  return Buffer.from(email, 'utf8').toString('base64url');
}

export function decodeUserCursor(cursor: string, field = 'after'): string {
  const email = cursor.length <= 400 && /^[A-Za-z0-9_-]+$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  if (!email || email.length > 254 || !email.includes('@') || encodeUserCursor(email) !== cursor) {
    throw badInput(field, 'is not a cursor from this list (pass endCursor unchanged)');
  }
  return email;
}

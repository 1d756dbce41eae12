import { createHash } from 'node:crypto';

/** LLM APIs accept `^[a-zA-Z0-9_-]{1,64}$`; clients add their own prefixes, so stay within it. */
export const MAX_NAME_LENGTH = 64;
export const SEPARATOR = '__';
/** A name LLM APIs accept as it is. */
export const SAFE_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const HASH_LENGTH = 6;

const sanitize = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, '_');

/**
 * `<serverSlug>__<name>`, made safe and kept within 64 chars: when longer, the end is cut and a short hash of the
 * full original pair appended, so distinct long names stay distinct and the result is the same on every hub.
 * Callers keep a reverse map; never split on the separator.
 */
export function namespacedName(serverSlug: string, name: string): string {
  const full = `${sanitize(serverSlug)}${SEPARATOR}${sanitize(name)}`;
  if (full.length <= MAX_NAME_LENGTH && sanitize(name) === name) return full;
  const hash = createHash('sha256').update(`${serverSlug}\0${name}`).digest('hex').slice(0, HASH_LENGTH);
  return `${full.slice(0, MAX_NAME_LENGTH - HASH_LENGTH - 1)}_${hash}`;
}

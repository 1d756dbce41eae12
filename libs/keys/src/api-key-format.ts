import { hash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * `mcph_<publicId>_<secret><checksum>`: base62 throughout so the key survives copy/paste and URLs.
 * The secret carries 256 random bits; the 6-char CRC32 checksum lets secret scanners recognise a real key offline.
 */
export const KEY_PREFIX = 'mcph';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const PUBLIC_ID_LENGTH = 12;
const SECRET_LENGTH = 43; // 43 base62 chars = 256 bits
const CHECKSUM_LENGTH = 6;
const KEY_PATTERN = new RegExp(`^${KEY_PREFIX}_([0-9A-Za-z]{${PUBLIC_ID_LENGTH}})_([0-9A-Za-z]{${SECRET_LENGTH + CHECKSUM_LENGTH}})$`);

function base62(bytes: Buffer, length: number): string {
  let n = BigInt(`0x${bytes.toString('hex')}`);
  let out = '';
  while (out.length < length) {
    out = BASE62[Number(n % 62n)] + out;
    n /= 62n;
  }
  return out;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, i) => {
  let c = i;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** CRC32 of an ASCII text (a key body: generated, or matched by KEY_PATTERN), char by char: no buffer per call. */
function crc32(text: string): number {
  let crc = 0xffffffff;
  for (let i = 0; i < text.length; i++) crc = CRC_TABLE[(crc ^ text.charCodeAt(i)) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** base62 of the CRC32, as `base62` would write its 4 bytes, in plain numbers (every call authenticates one). */
function checksum(body: string): string {
  let n = crc32(body);
  let out = '';
  while (out.length < CHECKSUM_LENGTH) {
    out = BASE62[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out;
}

export interface GeneratedKey {
  key: string;
  publicId: string;
  hash: Buffer;
}

export function generateApiKey(): GeneratedKey {
  const publicId = base62(randomBytes(12), PUBLIC_ID_LENGTH);
  const body = `${KEY_PREFIX}_${publicId}_${base62(randomBytes(40), SECRET_LENGTH)}`;
  const key = body + checksum(body);
  return { key, publicId, hash: hashApiKey(key) };
}

/** Parses and checks the checksum; returns the public id, or null for anything that is not a well-formed key. */
export function parseApiKey(key: string): { publicId: string } | null {
  const match = KEY_PATTERN.exec(key);
  if (!match) return null;
  const body = key.slice(0, key.length - CHECKSUM_LENGTH);
  return key.slice(-CHECKSUM_LENGTH) === checksum(body) ? { publicId: match[1] } : null;
}

/** SHA-256 is right for 256-bit random secrets: nothing to brute-force, and verification stays cheap. */
export function hashApiKey(key: string): Buffer {
  return hash('sha256', key, 'buffer');
}

export function hashMatches(key: string, stored: Buffer): boolean {
  const actual = hashApiKey(key);
  return actual.length === stored.length && timingSafeEqual(actual, stored);
}

export const displayPrefix = (publicId: string) => `${KEY_PREFIX}_${publicId}`;

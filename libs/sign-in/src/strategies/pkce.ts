import { createHash, randomBytes } from 'node:crypto';

/** RFC 7636 verifier: 43 characters of base64url (32 random bytes). */
export const newCodeVerifier = (): string => randomBytes(32).toString('base64url');

export const s256Challenge = (verifier: string): string => createHash('sha256').update(verifier).digest('base64url');

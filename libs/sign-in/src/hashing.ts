import { createHash, randomBytes } from 'node:crypto';

/** 32 random bytes, base64url: states, one-time codes and browser bindings. */
export const randomToken = (): string => randomBytes(32).toString('base64url');

/** What is stored instead of a state, code or binding: a leaked table row cannot be replayed. */
export const sha256Hex = (value: string): string => createHash('sha256').update(value).digest('hex');

import { createHmac, hkdfSync, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number, options: { N: number; r: number; p: number; maxmem: number }) => Promise<Buffer>;

/** scrypt parameters, stored in each manifest so they can change without breaking old archives. */
export interface KdfParams {
  name: 'scrypt';
  /** Cost (2^17: 128 MiB of memory per derivation with r = 8, about half a second). */
  N: number;
  r: number;
  p: number;
  /** base64url, 16 random bytes per archive. */
  salt: string;
}

export const DEFAULT_KDF = { name: 'scrypt', N: 2 ** 17, r: 8, p: 1 } as const;
/** Refuse parameters from a manifest that would take unbounded memory or time (an archive is untrusted input). */
const MAX_COST = { N: 2 ** 20, r: 16, p: 4 };

/** `cost` is log2 of N (BACKUP_KDF_COST); the default is DEFAULT_KDF's. */
export function newKdfParams(cost = Math.log2(DEFAULT_KDF.N)): KdfParams {
  return { ...DEFAULT_KDF, N: 2 ** cost, salt: randomBytes(16).toString('base64url') };
}

export function kdfParamsAcceptable(kdf: KdfParams): boolean {
  return (
    kdf.name === 'scrypt' &&
    Number.isInteger(kdf.N) && kdf.N >= 2 ** 14 && kdf.N <= MAX_COST.N && (kdf.N & (kdf.N - 1)) === 0 &&
    Number.isInteger(kdf.r) && kdf.r >= 1 && kdf.r <= MAX_COST.r &&
    Number.isInteger(kdf.p) && kdf.p >= 1 && kdf.p <= MAX_COST.p &&
    typeof kdf.salt === 'string' && Buffer.from(kdf.salt, 'base64url').length >= 16
  );
}

/**
 * Keys derived from a passphrase: one for the payload, one re-sealing each secret, one for the passphrase check.
 * Separate keys (HKDF) so no key does two jobs.
 */
export class BackupKey {
  private constructor(
    readonly payloadKey: Buffer,
    readonly secretsKey: Buffer,
    private readonly checkKey: Buffer,
  ) {}

  static async derive(passphrase: string, kdf: KdfParams): Promise<BackupKey> {
    const master = await scryptAsync(passphrase.normalize('NFC'), Buffer.from(kdf.salt, 'base64url'), 32, {
      N: kdf.N,
      r: kdf.r,
      p: kdf.p,
      maxmem: 256 * kdf.N * kdf.r + 1024 * 1024,
    });
    const sub = (info: string) => Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `mcphub-backup:${info}`, 32));
    return new BackupKey(sub('payload'), sub('secrets'), sub('check'));
  }

  /** Stored in the manifest: tells a wrong passphrase apart from a damaged archive. Reveals nothing of the key. */
  check(): string {
    return createHmac('sha256', this.checkKey).update('passphrase-check').digest('base64url');
  }

  matches(check: string): boolean {
    const mine = Buffer.from(this.check());
    const theirs = Buffer.from(check);
    return mine.length === theirs.length && timingSafeEqual(mine, theirs);
  }
}

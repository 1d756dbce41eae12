import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { DomainError, ErrorCode } from '../errors/domain-error.js';

const VERSION = 'v1';

/** What the API shows instead of a secret: the last 2 characters of long values only, so short ones leak nothing. */
export function maskSecret(value: string): string {
  return value.length >= 8 ? `••••${value.slice(-2)}` : '••••';
}

/** Short, non-secret id of a key: lets ciphertexts name the key that sealed them, so keys can rotate. */
export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/**
 * AES-256-GCM with a key id on every ciphertext: `v1.<keyId>.<iv>.<ciphertext+tag>` (base64url parts).
 * `context` (e.g. "server:<id>:env:TOKEN") is bound as associated data, so a ciphertext copied to another row or
 * field fails to open.
 */
export class SecretBox {
  private readonly keys = new Map<string, Buffer>();
  private readonly currentId: string;

  constructor(current: Buffer, previous: Buffer[] = []) {
    this.currentId = keyIdOf(current);
    for (const key of [current, ...previous]) this.keys.set(keyIdOf(key), key);
  }

  get currentKeyId(): string {
    return this.currentId;
  }

  seal(plaintext: string, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentId)!, iv);
    cipher.setAAD(Buffer.from(context));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return [VERSION, this.currentId, iv.toString('base64url'), body.toString('base64url')].join('.');
  }

  open(sealed: string, context: string): string {
    const [version, keyId, ivPart, bodyPart] = sealed.split('.');
    const key = this.keys.get(keyId);
    if (version !== VERSION || !key || !ivPart || !bodyPart) {
      throw new DomainError(ErrorCode.SECRET_UNREADABLE, `Secret sealed with unknown key id "${keyId}" or format`);
    }
    const body = Buffer.from(bodyPart, 'base64url');
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(ivPart, 'base64url'));
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(body.subarray(body.length - 16));
      return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString('utf8');
    } catch {
      throw new DomainError(ErrorCode.SECRET_UNREADABLE, 'Secret failed authentication (wrong key or context)');
    }
  }

  /** True when the ciphertext was sealed with an older key and should be re-sealed. */
  needsRotation(sealed: string): boolean {
    return sealed.split('.')[1] !== this.currentId;
  }
}

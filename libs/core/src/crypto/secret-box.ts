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

/** The key id a ciphertext names (`v1.<keyId>.…`), or undefined when it is not one of ours. */
export function sealedKeyId(sealed: string): string | undefined {
  const [version, keyId] = sealed.split('.');
  return version === VERSION && keyId ? keyId : undefined;
}

/** Associated data of a data key wrapped under a master key: a wrapped key moved to another id fails to open. */
const wrapContext = (dataKeyId: string) => `encryption-key:${dataKeyId}`;

/**
 * AES-256-GCM with a key id on every ciphertext: `v1.<keyId>.<iv>.<ciphertext+tag>` (base64url parts).
 * `context` (e.g. "server:<id>:env:TOKEN") is bound as associated data, so a ciphertext copied to another row or
 * field fails to open.
 *
 * Envelope encryption: the master keys (HUB_ENCRYPTION_KEY, HUB_ENCRYPTION_PREVIOUS_KEYS) wrap the data keys kept in
 * the database; the keyring installs those with useDataKeys(). Values are sealed with the current data key (the
 * current master key until a first rotation) and opened with any known key, master keys included.
 */
export class SecretBox {
  private readonly masterKeys = new Map<string, Buffer>();
  private readonly masterId: string;
  private dataKeys = new Map<string, Buffer>();
  private currentId: string;
  /** Told about a ciphertext naming a key this process does not know (the keyring reloads from the database). */
  onUnknownKey?: (keyId: string) => Promise<void> | void;
  private healing?: Promise<void>;

  constructor(current: Buffer, previous: Buffer[] = []) {
    this.masterId = this.currentId = keyIdOf(current);
    for (const key of [current, ...previous]) this.masterKeys.set(keyIdOf(key), key);
  }

  get currentKeyId(): string {
    return this.currentId;
  }

  get masterKeyId(): string {
    return this.masterId;
  }

  /** Ids of HUB_ENCRYPTION_KEY and HUB_ENCRYPTION_PREVIOUS_KEYS, current first. */
  get masterKeyIds(): string[] {
    return [...this.masterKeys.keys()];
  }

  knows(keyId: string): boolean {
    return this.dataKeys.has(keyId) || this.masterKeys.has(keyId);
  }

  /** Replaces the data keys; `currentId` (a data key id, or the master key id before any rotation) seals from now on. */
  useDataKeys(keys: ReadonlyMap<string, Buffer>, currentId: string): void {
    const next = new Map(keys);
    if (!next.has(currentId) && currentId !== this.masterId) throw new Error(`current key ${currentId} is not among the installed keys`);
    this.dataKeys = next;
    this.currentId = currentId;
  }

  seal(plaintext: string, context: string): string {
    return this.sealWith(this.currentId, this.keyOf(this.currentId)!, plaintext, context);
  }

  open(sealed: string, context: string): string {
    const [version, keyId, ivPart, bodyPart] = sealed.split('.');
    const key = this.keyOf(keyId);
    if (version === VERSION && keyId && !key) this.healing = this.onUnknownKey?.(keyId) ?? this.healing;
    if (version !== VERSION || !key || !ivPart || !bodyPart) {
      throw new DomainError(ErrorCode.SECRET_UNREADABLE, `Secret sealed with unknown key id "${keyId}" or format`);
    }
    return openWith(key, ivPart, bodyPart, context);
  }

  /**
   * Waits for the keyring reload that an unknown key id set going, if any. True when one ran: an open that failed
   * with an unknown key id is worth one retry (async callers; open itself stays synchronous).
   */
  async healed(): Promise<boolean> {
    const healing = this.healing;
    if (!healing) return false;
    await healing;
    if (this.healing === healing) this.healing = undefined;
    return true;
  }

  /** A data key sealed under the current master key, for the database. */
  wrap(dataKey: Buffer): string {
    return this.sealWith(this.masterId, this.masterKeys.get(this.masterId)!, dataKey.toString('base64'), wrapContext(keyIdOf(dataKey)));
  }

  /** Opens a wrapped data key with whichever master key wrapped it; the error names the master key id it needs. */
  unwrap(dataKeyId: string, wrapped: string): Buffer {
    const [, masterId, ivPart, bodyPart] = wrapped.split('.');
    const master = this.masterKeys.get(masterId);
    if (!master || !ivPart || !bodyPart) {
      throw new DomainError(
        ErrorCode.SECRET_UNREADABLE,
        `Data key ${dataKeyId} is wrapped with master key id "${masterId}", which is neither HUB_ENCRYPTION_KEY (id ${this.masterId}) nor in HUB_ENCRYPTION_PREVIOUS_KEYS: set the master key that was in use when it was made`,
      );
    }
    const key = Buffer.from(openWith(master, ivPart, bodyPart, wrapContext(dataKeyId)), 'base64');
    if (keyIdOf(key) !== dataKeyId) throw new DomainError(ErrorCode.SECRET_UNREADABLE, `Data key ${dataKeyId} does not match its id`);
    return key;
  }

  /** True when the ciphertext was sealed with another key than the current one and should be re-sealed. */
  needsRotation(sealed: string): boolean {
    return sealedKeyId(sealed) !== this.currentId;
  }

  private keyOf(keyId: string): Buffer | undefined {
    return this.dataKeys.get(keyId) ?? this.masterKeys.get(keyId);
  }

  private sealWith(keyId: string, key: Buffer, plaintext: string, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(context));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return [VERSION, keyId, iv.toString('base64url'), body.toString('base64url')].join('.');
  }
}

function openWith(key: Buffer, ivPart: string, bodyPart: string, context: string): string {
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

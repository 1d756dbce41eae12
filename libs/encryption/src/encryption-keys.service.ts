import { Inject, Injectable } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { randomBytes } from 'node:crypto';
import type { Actor } from '#auth';
import {
  ConfigChangeBus,
  DomainError,
  EncryptionKeyState,
  EncryptionKeyring,
  EncryptionKeysRepository,
  ErrorCode,
  JobName,
  JobsService,
  KEY_ROTATION_RETRY,
  SealedCiphertexts,
  SecretBox,
  badInput,
  columnName,
  keyIdOf,
  notFound,
  type EncryptionKey,
  type KeyRotation,
} from '#core';
import { EncryptionKeyKind, type EncryptionKeyView } from './encryption-key-view.js';

const KEY_ID = /^[0-9a-f]{8}$/;

/** Lists keys with what they seal, starts rotations and retires keys nothing uses any more. */
@Injectable()
export class EncryptionKeysService {
  constructor(
    private readonly box: SecretBox,
    private readonly keys: EncryptionKeysRepository,
    private readonly keyring: EncryptionKeyring,
    private readonly ciphertexts: SealedCiphertexts,
    private readonly bus: ConfigChangeBus,
    @Inject(JobsService) private readonly jobs: JobsService,
  ) {}

  async list(): Promise<EncryptionKeyView[]> {
    const [rows, counts] = await Promise.all([this.keys.allKeys(), this.ciphertexts.countByKey()]);
    const countOf = (id: string) => {
      const perColumn = [...(counts.get(id) ?? new Map<string, number>())].map(([column, count]) => ({ column, count }));
      return { ciphertexts: perColumn.reduce((n, c) => n + c.count, 0), ciphertextsByColumn: perColumn };
    };
    const base = { createdAt: null, activatedAt: null, retiredAt: null };
    const masters: EncryptionKeyView[] = this.box.masterKeyIds.map((id, i) => ({
      ...base,
      id,
      kind: EncryptionKeyKind.MASTER,
      state: i === 0 ? EncryptionKeyState.CURRENT : EncryptionKeyState.PREVIOUS,
      sealsNewValues: this.box.currentKeyId === id,
      ...countOf(id),
    }));
    const data: EncryptionKeyView[] = rows.map((row) => ({
      id: row.id,
      kind: EncryptionKeyKind.DATA,
      state: row.state,
      sealsNewValues: this.box.currentKeyId === row.id,
      createdAt: row.createdAt,
      activatedAt: row.activatedAt,
      retiredAt: row.retiredAt,
      ...countOf(row.id),
    }));
    const known = new Set([...masters, ...data].map((k) => k.id));
    const unknown = [...counts.keys()].filter((id) => !known.has(id)).map((id) => ({ ...base, id, kind: EncryptionKeyKind.UNKNOWN, state: null, sealsNewValues: false, ...countOf(id) }));
    // Newest data key first, then the master keys, then what nobody can open.
    return [...data.reverse(), ...masters, ...unknown];
  }

  latestRotation(): Promise<KeyRotation | null> {
    return this.keys.latestRotation();
  }

  /**
   * Makes a new data key, announces it to every hub, and starts the job that makes it current and re-seals every
   * ciphertext under it. Refused while another rotation runs.
   */
  async rotate(actor: Actor): Promise<KeyRotation> {
    const running = await this.keys.running();
    if (running.length) throw alreadyRunning(running[0]);
    const dataKey = randomBytes(32);
    const id = keyIdOf(dataKey);
    const columns = this.ciphertexts.columns();
    // Counted before the transaction: PGlite serves one connection, which an open transaction holds.
    const total = await this.ciphertexts.countNotUnder(id, columns);
    let rotation: KeyRotation;
    try {
      rotation = await this.keys.transaction(async (manager) => {
        await this.keys.insertKey(manager, id, this.box.wrap(dataKey));
        return this.keys.insertRotation(manager, { keyId: id, columns: columns.map(columnName), total, startedBy: actor.id });
      });
    } catch (error) {
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23505') throw alreadyRunning((await this.keys.running())[0]);
      throw error;
    }
    // Known here at once (the applier reloads before publish returns), elsewhere by pub/sub or the periodic refresh.
    await this.bus.publish({ kind: 'encryption-key', id, detail: { state: 'PENDING' } });
    await this.jobs.enqueue(JobName.KEY_ROTATION, { rotationId: rotation.id }, { retry: KEY_ROTATION_RETRY });
    return rotation;
  }

  /** Drops a data key's material for good; refused (with counts) while any ciphertext still names it. */
  async retire(id: string): Promise<EncryptionKey> {
    if (!KEY_ID.test(id)) throw badInput('id', 'must be a key id: 8 lowercase hexadecimal characters');
    if (this.box.masterKeyIds.includes(id)) {
      throw badInput('id', `${id} is a master key: replace it by setting a new HUB_ENCRYPTION_KEY (the old one in HUB_ENCRYPTION_PREVIOUS_KEYS until the hub has started once)`);
    }
    const key = await this.keys.findKey(id);
    if (!key) throw notFound('Encryption key', id);
    assertRetirable(key);
    const perColumn = (await this.ciphertexts.countByKey()).get(id);
    if (perColumn?.size) {
      const total = [...perColumn.values()].reduce((a, b) => a + b, 0);
      const where = [...perColumn].map(([column, n]) => `${column}: ${n}`).join(', ');
      throw new DomainError(ErrorCode.CONFLICT, `Encryption key ${id} still seals ${total} ciphertext(s) (${where}): run rotateEncryptionKey and let it finish, then retire it`, {
        ciphertexts: total,
      });
    }
    const retired = await this.keys.transaction(async (manager) => {
      const locked = await this.keys.lockKey(manager, id);
      assertRetirable(locked!);
      await this.keys.retire(manager, id);
      return (await this.keys.findKey(id, manager))!;
    });
    await this.bus.publish({ kind: 'encryption-key', id, detail: { state: 'RETIRED' } });
    await this.keyring.reload();
    return retired;
  }
}

function assertRetirable(key: EncryptionKey): void {
  if (key.state === EncryptionKeyState.RETIRED) throw new DomainError(ErrorCode.CONFLICT, `Encryption key ${key.id} is already retired`);
  if (key.state === EncryptionKeyState.CURRENT) throw new DomainError(ErrorCode.CONFLICT, `Encryption key ${key.id} is the current key: rotate to a new key first`);
  if (key.state === EncryptionKeyState.PENDING) throw new DomainError(ErrorCode.CONFLICT, `Encryption key ${key.id} is the target of a running rotation`);
}

function alreadyRunning(rotation: KeyRotation | undefined): DomainError {
  const progress = rotation ? ` (to key ${rotation.keyId}, ${rotation.done} of ${rotation.total} re-sealed)` : '';
  return new DomainError(ErrorCode.CONFLICT, `A key rotation is already running${progress}: wait for it to finish`);
}

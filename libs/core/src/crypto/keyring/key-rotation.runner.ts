import { setTimeout } from 'node:timers/promises';
import { Inject, Injectable, Optional } from '@nestjs/common';
import type { Logger } from 'pino';
import type { EntityManager } from 'typeorm';
import { HUB_CONFIG, type HubConfig } from '../../config/hub-config.js';
import { ConfigChangeBus } from '../../events/config-change-bus.js';
import { ShuttingDownError } from '../../jobs/shutting-down.js';
import { PINO } from '../../logging/logging.module.js';
import type { SealedColumn } from '../sealed-columns.js';
import { SecretBox, sealedKeyId } from '../secret-box.js';
import { EncryptionKeyring } from './encryption-keyring.js';
import { EncryptionKeysRepository } from './encryption-keys.repository.js';
import { KeyRotationState, type KeyRotation } from './key-rotation.entity.js';
import { SealedCiphertexts, columnName, type Row } from './sealed-ciphertexts.js';

/** A pass re-seals what it finds; values written with the old key by a slow hub meanwhile need another one. */
const MAX_PASSES = 5;
/** A row changed between our read and our write is read again, this many times. */
const MAX_CONFLICTS = 5;

/** A ShuttingDownError: not a failed attempt; BullMQ hands the job back, and a start resumes it (KeyRotationResumer). */
export class RotationInterrupted extends ShuttingDownError {
  override readonly message = 'key rotation interrupted by shutdown: it resumes where it stopped';
}

interface PassResult {
  resealed: number;
  errors: number;
  lastError: string | null;
}

/**
 * The rotation job: waits until every hub can know the new key, makes it current, then re-seals every registered
 * ciphertext under it in bounded batches with compare-and-set writes. Progress is the data itself (a re-sealed value
 * no longer matches), so a run interrupted anywhere resumes by running again.
 */
@Injectable()
export class KeyRotationRunner {
  constructor(
    private readonly box: SecretBox,
    private readonly keyring: EncryptionKeyring,
    private readonly keys: EncryptionKeysRepository,
    private readonly ciphertexts: SealedCiphertexts,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    @Optional() private readonly bus?: ConfigChangeBus,
    @Optional() @Inject(PINO) private readonly logger?: Logger,
  ) {}

  /** `stopping`: the job's signal; the run stops between batches when it aborts. */
  async run(rotationId: string, stopping?: AbortSignal): Promise<void> {
    const rotation = await this.keys.findRotation(rotationId);
    if (!rotation || rotation.state !== KeyRotationState.RUNNING) return;
    const columns = this.columnsOf(rotation);
    await this.activate(rotation, stopping);
    let result: PassResult = { resealed: 0, errors: 0, lastError: null };
    for (let pass = 1; pass <= MAX_PASSES; pass++) {
      result = await this.pass(rotation, columns, stopping);
      await this.keys.recordErrors(rotation.id, result.errors, result.lastError);
      const left = await this.ciphertexts.countNotUnder(rotation.keyId, columns);
      if (left === 0 || left <= result.errors || result.resealed === 0) break;
    }
    await this.keys.finish(rotation.id, result.errors, result.lastError);
    await this.bus?.publish({ kind: 'encryption-key', id: rotation.keyId, detail: { rotation: 'finished' } });
    this.logger?.info({ rotationId, keyId: rotation.keyId, errors: result.errors }, 'key rotation finished');
  }

  /** The worker must know every column the hub registered, or it would call the rotation done with secrets left behind. */
  private columnsOf(rotation: KeyRotation): SealedColumn[] {
    const known = new Map(this.ciphertexts.columns().map((c) => [columnName(c), c]));
    const missing = rotation.columns.filter((name) => !known.has(name));
    if (missing.length) {
      throw new Error(`key rotation: this process does not know the sealed column(s) ${missing.join(', ')}; import the modules that register them (apps/worker)`);
    }
    return rotation.columns.map((name) => known.get(name)!);
  }

  private async activate(rotation: KeyRotation, stopping: AbortSignal | undefined): Promise<void> {
    const age = Date.now() - rotation.startedAt.getTime();
    await this.sleep(this.config.encryption.rotation.activationDelayMs - age, stopping);
    if (!(await this.keys.activate(rotation.keyId))) throw new Error(`key rotation: data key ${rotation.keyId} can no longer become current`);
    await this.keyring.reload();
    // Every hub seals with the new key from now on; one that misses this learns it on its next refresh.
    await this.bus?.publish({ kind: 'encryption-key', id: rotation.keyId, detail: { state: 'CURRENT' } });
  }

  private async pass(rotation: KeyRotation, columns: SealedColumn[], stopping: AbortSignal | undefined): Promise<PassResult> {
    const result: PassResult = { resealed: 0, errors: 0, lastError: null };
    const { batchSize, batchDelayMs } = this.config.encryption.rotation;
    for (const column of columns) {
      let after: unknown[] | null = null;
      for (;;) {
        if (stopping?.aborted) throw new RotationInterrupted();
        if (this.box.currentKeyId !== rotation.keyId) await this.keyring.reload();
        const rows = await this.ciphertexts.rowsNotUnder(column, rotation.keyId, after, batchSize);
        if (!rows.length) break;
        // The batch's writes and its count commit together: a shutdown or crash in between would otherwise leave
        // values re-sealed but never counted (a resumed run finds nothing left to do for them).
        result.resealed += await this.keys.transaction(async (manager) => {
          let resealed = 0;
          for (const row of rows) {
            try {
              resealed += await this.resealRow(manager, column, row, rotation.keyId);
            } catch (error) {
              result.errors++;
              result.lastError = `${columnName(column)} row ${column.key.map((k) => String(row[k])).join(',')}: ${(error as Error).message}`;
            }
          }
          await this.keys.addProgress(manager, rotation.id, resealed);
          return resealed;
        });
        after = column.key.map((k) => rows.at(-1)![k]);
        await this.sleep(batchDelayMs, stopping);
      }
    }
    return result;
  }

  /** Re-seals the row's values that name another key; a row changed meanwhile is read again, never overwritten. */
  private async resealRow(manager: EntityManager, column: SealedColumn, first: Row, keyId: string): Promise<number> {
    let row: Row | null = first;
    for (let attempt = 0; attempt < MAX_CONFLICTS && row; attempt++) {
      const before = row[column.column];
      const next = this.resealed(column, row, before, keyId);
      if (!next) return 0;
      if (await this.ciphertexts.replace(column, row, before, next.value, manager)) return next.count;
      row = await this.ciphertexts.reread(column, row, manager);
    }
    if (row) throw new Error(`changed ${MAX_CONFLICTS} times while being re-sealed; the next pass retries`);
    return 0;
  }

  private resealed(column: SealedColumn, row: Row, value: unknown, keyId: string): { value: unknown; count: number } | null {
    const reseal = (sealed: string, context: string) => this.box.seal(this.box.open(sealed, context), context);
    if (column.shape === 'text') {
      if (typeof value !== 'string' || sealedKeyId(value) === keyId) return null;
      return { value: reseal(value, column.context(row)), count: 1 };
    }
    if (!Array.isArray(value)) return null;
    let count = 0;
    const entries = (value as { name: string; value: string }[]).map((entry) => {
      if (sealedKeyId(entry.value) === keyId) return entry;
      count++;
      return { ...entry, value: reseal(entry.value, column.context(row, entry.name)) };
    });
    return count ? { value: entries, count } : null;
  }

  /** Waits `ms`, or ends with RotationInterrupted as soon as `stopping` aborts. */
  private async sleep(ms: number, stopping: AbortSignal | undefined): Promise<void> {
    if (stopping?.aborted) throw new RotationInterrupted();
    if (ms <= 0) return;
    await setTimeout(ms, undefined, { signal: stopping }).catch(() => {
      throw new RotationInterrupted();
    });
  }
}

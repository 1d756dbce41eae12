import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { EncryptionKey, EncryptionKeyState } from './encryption-key.entity.js';
import { KeyRotation, KeyRotationState } from './key-rotation.entity.js';

/** Queries on data keys and rotations. Writes that must be atomic take the caller's transaction manager. */
@Injectable()
export class EncryptionKeysRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private keys(manager: EntityManager = this.dataSource.manager) {
    return manager.getRepository(EncryptionKey);
  }

  private rotations(manager: EntityManager = this.dataSource.manager) {
    return manager.getRepository(KeyRotation);
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  allKeys(): Promise<EncryptionKey[]> {
    return this.keys().find({ order: { createdAt: 'ASC', id: 'ASC' } });
  }

  findKey(id: string, manager?: EntityManager): Promise<EncryptionKey | null> {
    return this.keys(manager).findOneBy({ id });
  }

  /** Cheap change detector for the periodic refresh: ids and states only. */
  async keyStates(): Promise<string> {
    const rows = await this.keys().find({ select: { id: true, state: true }, order: { id: 'ASC' } });
    return rows.map((r) => `${r.id}:${r.state}`).sort().join(',');
  }

  insertKey(manager: EntityManager, id: string, sealedKey: string): Promise<EncryptionKey> {
    return this.keys(manager).save(this.keys(manager).create({ id, sealedKey, state: EncryptionKeyState.PENDING, activatedAt: null, retiredAt: null }));
  }

  /**
   * Compare-and-set: rewraps a data key only if nobody changed its wrapping meanwhile. Bookkeeping (the key itself is
   * unchanged), so no entity listeners: a reload inside an audited mutation must not need a transaction for it.
   */
  async rewrap(id: string, before: string, after: string): Promise<boolean> {
    const result = await this.keys()
      .createQueryBuilder()
      .update()
      .set({ sealedKey: after })
      .where('id = :id AND sealed_key = :before', { id, before })
      .callListeners(false)
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /** Makes `id` the current key; the former current one becomes PREVIOUS. Returns false if `id` is not PENDING or CURRENT. */
  async activate(id: string): Promise<boolean> {
    return this.transaction(async (manager) => {
      const key = await this.keys(manager).createQueryBuilder('k').setLock('pessimistic_write').where('k.id = :id', { id }).getOne();
      if (!key || (key.state !== EncryptionKeyState.PENDING && key.state !== EncryptionKeyState.CURRENT)) return false;
      if (key.state === EncryptionKeyState.CURRENT) return true;
      await this.keys(manager).update({ state: EncryptionKeyState.CURRENT }, { state: EncryptionKeyState.PREVIOUS });
      await this.keys(manager).update({ id }, { state: EncryptionKeyState.CURRENT, activatedAt: new Date() });
      return true;
    });
  }

  /** Drops the key material for good (the row stays as history). */
  retire(manager: EntityManager, id: string): Promise<unknown> {
    return this.keys(manager).update({ id }, { state: EncryptionKeyState.RETIRED, sealedKey: null, retiredAt: new Date() });
  }

  lockKey(manager: EntityManager, id: string): Promise<EncryptionKey | null> {
    return this.keys(manager).createQueryBuilder('k').setLock('pessimistic_write').where('k.id = :id', { id }).getOne();
  }

  insertRotation(manager: EntityManager, rotation: Pick<KeyRotation, 'keyId' | 'columns' | 'total' | 'startedBy'>): Promise<KeyRotation> {
    return this.rotations(manager).save(this.rotations(manager).create({ ...rotation, state: KeyRotationState.RUNNING, done: 0, errors: 0, lastError: null, finishedAt: null }));
  }

  findRotation(id: string): Promise<KeyRotation | null> {
    return this.rotations().findOneBy({ id });
  }

  latestRotation(): Promise<KeyRotation | null> {
    return this.rotations().findOne({ where: {}, order: { startedAt: 'DESC' } });
  }

  running(manager?: EntityManager): Promise<KeyRotation[]> {
    return this.rotations(manager).find({ where: { state: KeyRotationState.RUNNING } });
  }

  /** Progress after one batch: added, not set, so two runners of one rotation never lose each other's counts. */
  async addProgress(manager: EntityManager, id: string, done: number): Promise<void> {
    if (done) await this.rotations(manager).increment({ id }, 'done', done);
    else await this.rotations(manager).update({ id }, { updatedAt: new Date() });
  }

  finish(id: string, errors: number, lastError: string | null): Promise<unknown> {
    return this.rotations().update(
      { id, state: KeyRotationState.RUNNING },
      { state: errors ? KeyRotationState.DONE_WITH_ERRORS : KeyRotationState.DONE, errors, lastError, finishedAt: new Date() },
    );
  }

  recordErrors(id: string, errors: number, lastError: string | null): Promise<unknown> {
    return this.rotations().update({ id }, { errors, lastError });
  }
}

import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, type EntityManager, type FindOptionsWhere, type Repository } from 'typeorm';
import { BackupRecord, BackupScope, BackupSource } from './backup-record.entity.js';

@Injectable()
export class BackupRecordsRepository {
  constructor(@InjectRepository(BackupRecord) private readonly records: Repository<BackupRecord>) {}

  /** Newest first; with `ownerId`, only that person's USER archives (the rule of backupAsOwned). */
  list(limit: number, ownerId: string | null): Promise<BackupRecord[]> {
    const where: FindOptionsWhere<BackupRecord>[] | undefined = ownerId
      ? [
          { scope: BackupScope.USER, createdBy: ownerId },
          { scope: BackupScope.USER, createdBy: IsNull(), scopeUserId: ownerId },
        ]
      : undefined;
    return this.records.find({ where, order: { createdAt: 'DESC', id: 'DESC' }, take: limit });
  }

  async fileNames(): Promise<Set<string>> {
    const rows = await this.records.find({ select: { fileName: true } });
    return new Set(rows.map((r) => r.fileName));
  }

  findById(id: string): Promise<BackupRecord | null> {
    return this.records.findOneBy({ id });
  }

  /** Scheduled archives beyond the newest `keep`, oldest last. */
  async scheduledBeyond(keep: number): Promise<BackupRecord[]> {
    return this.records.find({ where: { source: BackupSource.SCHEDULED }, order: { createdAt: 'DESC', id: 'DESC' }, skip: keep });
  }

  save(manager: EntityManager, record: BackupRecord): Promise<BackupRecord> {
    return manager.getRepository(BackupRecord).save(record);
  }

  create(fields: Partial<BackupRecord>): BackupRecord {
    return this.records.create(fields);
  }

  remove(manager: EntityManager, record: BackupRecord): Promise<BackupRecord> {
    return manager.getRepository(BackupRecord).remove(record);
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { validate } from '#core';
import { Permission, authorizeAttempt, type Actor } from '#auth';
import { authorizeBackup, listedOwner } from './storage/backup-access.js';
import { parseArchive } from './archive/archive-format.js';
import { ArchiveReader } from './archive/archive-reader.js';
import { BackupFiles } from './storage/backup-files.js';
import { BackupRecord, BackupScope, BackupSource } from './storage/backup-record.entity.js';
import { BackupRecordsRepository } from './storage/backup-records.repository.js';

export const BACKUP_LIST = { default: 50, max: 100 } as const;

/** The stored archives: listing, download, upload (an archive from another hub or an older disk) and removal. */
@Injectable()
export class BackupsService {
  constructor(
    private readonly records: BackupRecordsRepository,
    private readonly files: BackupFiles,
    private readonly reader: ArchiveReader,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** Admins: every archive; anyone else: their own personal ones. */
  list(actor: Actor, first?: number | null): Promise<BackupRecord[]> {
    const q = validate(z.object({ first: z.number().int().min(1, 'must be at least 1').max(BACKUP_LIST.max, `must be at most ${BACKUP_LIST.max}`).nullish() }), { first });
    return this.records.list(q.first ?? BACKUP_LIST.default, listedOwner(actor));
  }

  async download(actor: Actor, id: string): Promise<{ record: BackupRecord; data: Buffer }> {
    const record = authorizeBackup(actor, await this.reader.record(id), id);
    return { record, data: await this.files.read(record.fileName) };
  }

  /** Keeps an uploaded archive once its manifest reads well; the passphrase is only needed to verify or restore. */
  async upload(data: Buffer, uploadedBy: Actor): Promise<BackupRecord> {
    const { manifest } = parseArchive(data);
    if (manifest.scope.kind === 'HUB') authorizeAttempt(uploadedBy, Permission.BACKUP_MANAGE, 'Only admins may upload whole-hub archives; a personal backup can be uploaded by anyone');
    const fileName = this.files.newName(new Date(), 'upload');
    const written = await this.files.write(fileName, data);
    const record = this.records.create({
      fileName,
      source: BackupSource.UPLOADED,
      scope: manifest.scope.kind === 'USER' ? BackupScope.USER : BackupScope.HUB,
      scopeUserId: manifest.scope.userId ?? null,
      createdBy: uploadedBy.id,
      archivedAt: new Date(manifest.createdAt),
      sizeBytes: written.sizeBytes,
      sha256: written.sha256,
      manifest,
    });
    try {
      return await this.dataSource.transaction((manager) => this.records.save(manager, record));
    } catch (error) {
      await this.files.remove(fileName);
      throw error;
    }
  }

  async remove(actor: Actor, id: string): Promise<boolean> {
    const record = authorizeBackup(actor, await this.reader.record(id), id);
    await this.dataSource.transaction((manager) => this.records.remove(manager, record));
    await this.files.remove(record.fileName);
    return true;
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Clock, DomainError } from '#core';
import type { Actor } from '#auth';
import { ArchiveReader } from '../archive/archive-reader.js';
import { authorizeBackup } from '../storage/backup-access.js';
import type { BackupRecord } from '../storage/backup-record.entity.js';
import { BackupRecordsRepository } from '../storage/backup-records.repository.js';

/**
 * Opens an archive as a restore would (file checksum, passphrase, authentication, every section's checksum) and
 * records the outcome on the backup. Changes nothing else.
 */
@Injectable()
export class VerifyBackupService {
  constructor(
    private readonly reader: ArchiveReader,
    private readonly records: BackupRecordsRepository,
    private readonly clock: Clock,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** `actor`: the person asking (null: the hub's own schedule). */
  async verify(id: string, passphrase: string, actor: Actor | null): Promise<BackupRecord> {
    const record = await this.reader.record(id);
    if (actor) authorizeBackup(actor, record, id);
    let ok = true;
    let message = 'Checksums match and the passphrase opens the archive';
    try {
      const opened = await this.reader.open(id, passphrase);
      const rows = opened.manifest.sections.reduce((n, s) => n + s.rows, 0);
      message = `${message} (${opened.manifest.sections.length} sections, ${rows} rows)`;
    } catch (error) {
      if (!(error instanceof DomainError) || error.details.field === 'id') throw error;
      ok = false;
      message = error.message;
    }
    record.verifiedAt = new Date(this.clock.now());
    record.verifyOk = ok;
    record.verifyMessage = message;
    return this.dataSource.transaction((manager) => this.records.save(manager, record));
  }
}

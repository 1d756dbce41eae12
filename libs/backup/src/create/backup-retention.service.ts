import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { HUB_CONFIG, PINO, type HubConfig, type Logger } from '#core';
import { BackupFiles } from '../storage/backup-files.js';
import { BackupRecordsRepository } from '../storage/backup-records.repository.js';

/** Keeps the newest BACKUP_RETENTION scheduled archives; manual and uploaded ones stay until someone deletes them. */
@Injectable()
export class BackupRetention {
  constructor(
    private readonly records: BackupRecordsRepository,
    private readonly files: BackupFiles,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    @Inject(PINO) private readonly logger: Logger,
  ) {}

  async apply(): Promise<number> {
    const old = await this.records.scheduledBeyond(this.config.backup.retention);
    for (const record of old) {
      // Row first: a listed backup always has its file; a file left by a crash here is only unlisted.
      await this.dataSource.transaction((manager) => this.records.remove(manager, record));
      await this.files.remove(record.fileName);
    }
    if (old.length) this.logger.info({ removed: old.length, keep: this.config.backup.retention }, 'old scheduled backups removed');
    return old.length;
  }
}

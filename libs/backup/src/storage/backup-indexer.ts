import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { PINO, type Logger } from '#core';
import { parseArchive } from '../archive/archive-format.js';
import { BackupFiles, sha256 } from './backup-files.js';
import { BackupScope, BackupSource } from './backup-record.entity.js';
import { BackupRecordsRepository } from './backup-records.repository.js';

/**
 * After a disaster the database is new but BACKUP_DIR (a volume) survived: the hub lists the archives it finds there
 * at boot, so yesterday's backup is one click away instead of a download and an upload.
 */
@Injectable()
export class BackupIndexer implements OnApplicationBootstrap {
  constructor(
    private readonly files: BackupFiles,
    private readonly records: BackupRecordsRepository,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(PINO) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    try {
      const found = await this.indexFound();
      if (found) this.logger.info({ found, dir: this.files.dir }, 'backup archives found in BACKUP_DIR and listed');
    } catch (error) {
      this.logger.warn({ err: (error as Error).message, dir: this.files.dir }, 'could not look for backup archives in BACKUP_DIR');
    }
  }

  async indexFound(): Promise<number> {
    const known = await this.records.fileNames();
    let found = 0;
    for (const fileName of await this.files.list()) {
      if (known.has(fileName)) continue;
      const data = await this.files.read(fileName);
      let manifest;
      try {
        manifest = parseArchive(data).manifest;
      } catch (error) {
        this.logger.warn({ file: fileName, err: (error as Error).message }, 'not listed: not a readable backup archive');
        continue;
      }
      const record = this.records.create({
        fileName,
        source: BackupSource.FOUND,
        scope: manifest.scope.kind === 'USER' ? BackupScope.USER : BackupScope.HUB,
        scopeUserId: manifest.scope.userId ?? null,
        createdBy: null,
        archivedAt: new Date(manifest.createdAt),
        sizeBytes: data.length,
        sha256: sha256(data),
        manifest,
      });
      // Another hub replica booting at the same moment may list it first (unique file name): that is fine.
      const saved = await this.dataSource.transaction((manager) => this.records.save(manager, record)).then(
        () => true,
        () => false,
      );
      if (saved) found++;
    }
    return found;
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { Clock, SecretBox, validate } from '#core';
import { BACKED_UP_TABLES } from '../backed-up-tables.js';
import { newBackupKey, parseArchive, writeArchive, type Sections } from '../archive/archive-format.js';
import { SecretResealer } from '../snapshot/secret-resealer.js';
import { TableRowsRepository } from '../snapshot/table-rows.repository.js';
import { BackupFiles } from '../storage/backup-files.js';
import { BackupRecord, BackupScope, BackupSource } from '../storage/backup-record.entity.js';
import { BackupRecordsRepository } from '../storage/backup-records.repository.js';

/** The hub's release, written into each manifest (the schema, i.e. the last migration, is what restores check). */
export const HUB_VERSION = '0.1.0';

export const passphraseSchema = z.string().min(12, 'must be at least 12 characters').max(1024, 'must be at most 1024 characters');

/** Writes a whole-hub archive: every backed-up table from one snapshot, secrets re-sealed under the passphrase. */
@Injectable()
export class CreateBackupService {
  constructor(
    private readonly rows: TableRowsRepository,
    private readonly resealer: SecretResealer,
    private readonly files: BackupFiles,
    private readonly records: BackupRecordsRepository,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async create(passphrase: string, source: BackupSource, createdBy: string | null): Promise<BackupRecord> {
    validate(z.object({ passphrase: passphraseSchema }), { passphrase });
    this.resealer.assertCoverage();
    const { kdf, key } = await newBackupKey(passphrase);
    const archiveBox = new SecretBox(key.secretsKey);
    const { sections, schema } = await this.rows.snapshot(async (manager) => {
      const present = new Set(await this.rows.tablesInDatabase(manager));
      const sections: Sections = {};
      for (const { table } of BACKED_UP_TABLES) {
        if (!present.has(table)) continue;
        const shape = await this.rows.shape(manager, table);
        sections[table] = (await this.rows.readAll(manager, shape)).map((row) => this.resealer.reseal(table, row, this.resealer.hubBox, archiveBox));
      }
      return { sections, schema: await this.rows.lastMigration(manager) };
    });
    const createdAt = new Date(this.clock.now());
    const archive = writeArchive({ hubVersion: HUB_VERSION, schema, scope: { kind: 'HUB' }, createdAt, key, kdf, sections });
    const fileName = this.files.newName(createdAt, 'hub');
    const written = await this.files.write(fileName, archive);
    const record = this.records.create({
      fileName,
      source,
      scope: BackupScope.HUB,
      scopeUserId: null,
      createdBy,
      archivedAt: createdAt,
      sizeBytes: written.sizeBytes,
      sha256: written.sha256,
      manifest: parseArchive(archive).manifest,
    });
    try {
      return await this.dataSource.transaction((manager) => this.records.save(manager, record));
    } catch (error) {
      await this.files.remove(fileName);
      throw error;
    }
  }
}

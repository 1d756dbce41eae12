import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import { Clock, HUB_CONFIG, SecretBox, validate, type HubConfig } from '#core';
import { BACKED_UP_TABLES } from '../backed-up-tables.js';
import { newBackupKey, parseArchive, writeArchive, type BackupManifest, type Sections } from '../archive/archive-format.js';
import { SecretResealer } from '../snapshot/secret-resealer.js';
import { TableRowsRepository, type Row } from '../snapshot/table-rows.repository.js';
import { USER_BACKED_UP_TABLES } from '../user-scope/user-backed-up-tables.js';
import { BackupFiles } from '../storage/backup-files.js';
import { BackupRecord, BackupScope, BackupSource } from '../storage/backup-record.entity.js';
import { BackupRecordsRepository } from '../storage/backup-records.repository.js';

/** The hub's release, written into each manifest (the schema, i.e. the last migration, is what restores check). */
export const HUB_VERSION = '0.1.0';

export const passphraseSchema = z.string().min(12, 'must be at least 12 characters').max(1024, 'must be at most 1024 characters');

/** Writes an archive: every backed-up table (or one person's rows of them) from one snapshot, secrets re-sealed under the passphrase. */
@Injectable()
export class CreateBackupService {
  constructor(
    private readonly rows: TableRowsRepository,
    private readonly resealer: SecretResealer,
    private readonly files: BackupFiles,
    private readonly records: BackupRecordsRepository,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  async create(passphrase: string, source: BackupSource, createdBy: string | null): Promise<BackupRecord> {
    validate(z.object({ passphrase: passphraseSchema }), { passphrase });
    this.resealer.assertCoverage();
    return this.write(passphrase, source, createdBy, { kind: 'HUB' }, async (manager) => {
      const present = new Set(await this.rows.tablesInDatabase(manager));
      const sections: Record<string, Row[]> = {};
      for (const { table } of BACKED_UP_TABLES) {
        if (present.has(table)) sections[table] = await this.rows.readAll(manager, await this.rows.shape(manager, table));
      }
      return sections;
    });
  }

  /** One person's own configuration (USER_BACKED_UP_TABLES), for them to restore through the domain checks. */
  async createForUser(passphrase: string, userId: string): Promise<BackupRecord> {
    validate(z.object({ passphrase: passphraseSchema }), { passphrase });
    return this.write(passphrase, BackupSource.MANUAL, userId, { kind: 'USER', userId }, async (manager) => {
      const sections: Record<string, Row[]> = {};
      for (const { table, ownRows } of USER_BACKED_UP_TABLES) sections[table] = await this.rows.readWhere(manager, await this.rows.shape(manager, table), ownRows, [userId]);
      return sections;
    });
  }

  /** Reads the rows from one snapshot, re-seals their secrets under the passphrase, writes the file and its record. */
  private async write(
    passphrase: string,
    source: BackupSource,
    createdBy: string | null,
    scope: BackupManifest['scope'],
    read: (manager: EntityManager) => Promise<Record<string, Row[]>>,
  ): Promise<BackupRecord> {
    const { kdf, key } = await newBackupKey(passphrase, this.config.backup.kdfCost);
    const archiveBox = new SecretBox(key.secretsKey);
    const { sections, schema } = await this.rows.snapshot(async (manager) => {
      const sections: Sections = {};
      for (const [table, rows] of Object.entries(await read(manager))) sections[table] = rows.map((row) => this.resealer.reseal(table, row, this.resealer.hubBox, archiveBox));
      return { sections, schema: await this.rows.lastMigration(manager) };
    });
    const createdAt = new Date(this.clock.now());
    const archive = writeArchive({ hubVersion: HUB_VERSION, schema, scope, createdAt, key, kdf, sections });
    const fileName = this.files.newName(createdAt, scope.kind === 'HUB' ? 'hub' : 'user');
    const written = await this.files.write(fileName, archive);
    const record = this.records.create({
      fileName,
      source,
      scope: scope.kind === 'HUB' ? BackupScope.HUB : BackupScope.USER,
      scopeUserId: scope.userId ?? null,
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

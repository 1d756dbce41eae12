import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { badInput, notFound, validate } from '#core';
import { BackupFiles, sha256 } from '../storage/backup-files.js';
import type { BackupRecord } from '../storage/backup-record.entity.js';
import { BackupRecordsRepository } from '../storage/backup-records.repository.js';
import { openArchive, parseArchive, type BackupManifest, type Sections } from './archive-format.js';
import { ArchiveProblem, archiveError } from './backup-errors.js';
import type { BackupKey } from './backup-key.js';

export interface OpenedBackup {
  record: BackupRecord;
  manifest: BackupManifest;
  key: BackupKey;
  sections: Sections;
}

/** Finds a stored archive and opens it: file checksum, passphrase, authentication, section checksums. */
@Injectable()
export class ArchiveReader {
  constructor(
    private readonly records: BackupRecordsRepository,
    private readonly files: BackupFiles,
  ) {}

  async record(id: string): Promise<BackupRecord> {
    if (!z.uuid().safeParse(id).success) throw badInput('id', 'must be a UUID');
    const record = await this.records.findById(id);
    if (!record) throw notFound('Backup', id);
    return record;
  }

  async open(id: string, passphrase: string): Promise<OpenedBackup> {
    validate(z.object({ passphrase: z.string().min(1, 'is required').max(1024) }), { passphrase });
    const record = await this.record(id);
    const file = await this.files.read(record.fileName);
    if (sha256(file) !== record.sha256) {
      throw archiveError(
        file.length < record.sizeBytes ? ArchiveProblem.TRUNCATED : ArchiveProblem.TAMPERED,
        `the archive file changed since it was stored (${file.length} bytes, SHA-256 differs)`,
      );
    }
    const parsed = parseArchive(file);
    const { key, sections } = await openArchive(parsed, passphrase);
    return { record, manifest: parsed.manifest, key, sections };
  }
}

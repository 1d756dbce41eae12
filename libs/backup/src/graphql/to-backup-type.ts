import type { ConflictStrategy } from '../restore/restore-report.js';
import type { BackupRecord } from '../storage/backup-record.entity.js';
import type { BackupType } from './backup.types.js';

export function toBackupType(record: BackupRecord): BackupType {
  const { manifest } = record;
  return {
    id: record.id,
    fileName: record.fileName,
    source: record.source,
    scope: record.scope,
    createdAt: record.createdAt,
    archivedAt: record.archivedAt,
    sizeBytes: record.sizeBytes,
    sha256: record.sha256,
    hubVersion: manifest.hubVersion,
    schema: manifest.schema,
    sections: manifest.sections,
    totalRows: manifest.sections.reduce((n, s) => n + s.rows, 0),
    verifiedAt: record.verifiedAt,
    verifyOk: record.verifyOk,
    verifyMessage: record.verifyMessage,
    lastRestore: record.lastRestore ? { ...record.lastRestore, at: new Date(record.lastRestore.at), strategy: record.lastRestore.strategy as ConflictStrategy } : null,
  };
}

export { BackupModule, BackupProcessorsModule } from './backup.module.js';
export { BACKED_UP_TABLES, NOT_BACKED_UP, type BackedUpTable } from './backed-up-tables.js';
export { ConflictStrategy, RestoreAction, type RestoreReport } from './restore/restore-report.js';
export { BACKUP_SCHEDULER_ID } from './jobs/backup-schedule.js';
export { ARCHIVE_EXTENSION, parseArchive, openArchive, writeArchive, type BackupManifest } from './archive/archive-format.js';
export { ArchiveProblem } from './archive/backup-errors.js';

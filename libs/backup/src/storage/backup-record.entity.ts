import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { Audited } from '#auth';
import type { BackupManifest } from '../archive/archive-format.js';

export enum BackupSource {
  MANUAL = 'MANUAL',
  SCHEDULED = 'SCHEDULED',
  UPLOADED = 'UPLOADED',
  /** An archive in BACKUP_DIR this hub's database did not list (a new database, the same directory): indexed at boot. */
  FOUND = 'FOUND',
}

export enum BackupScope {
  HUB = 'HUB',
  USER = 'USER',
}

/** What the last restore of an archive did (also in its audit entry). */
export interface RestoreSummary {
  at: string;
  strategy: string;
  created: number;
  changed: number;
  skipped: number;
  unchanged: number;
}

/** One archive in BACKUP_DIR: its manifest (readable without the passphrase), checksum and what was done with it. */
// The manifest holds the passphrase check (a verifier one could brute-force offline): never in the audit log.
@Audited({ name: 'Backup', secrets: ['manifest'] })
@Entity('backups')
@Unique('UQ_backups_file_name', ['fileName'])
@Index('IDX_backups_created_at', ['createdAt', 'id'])
export class BackupRecord {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_backups' })
  id!: string;

  @Column({ name: 'file_name', type: 'text' })
  fileName!: string;

  @Column({ type: 'enum', enum: BackupSource, enumName: 'backup_source' })
  source!: BackupSource;

  @Column({ type: 'enum', enum: BackupScope, enumName: 'backup_scope' })
  scope!: BackupScope;

  @Column({ name: 'scope_user_id', type: 'uuid', nullable: true })
  scopeUserId!: string | null;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /** When the archive itself was written (an upload keeps the time of the hub that wrote it). */
  @Column({ name: 'archived_at', type: 'timestamptz' })
  archivedAt!: Date;

  @Column({ name: 'size_bytes', type: 'bigint', transformer: { to: (v: number) => v, from: (v: string) => Number(v) } })
  sizeBytes!: number;

  /** Of the whole file: a changed file is found without the passphrase. */
  @Column({ type: 'text' })
  sha256!: string;

  @Column({ type: 'jsonb' })
  manifest!: BackupManifest;

  @Column({ name: 'verified_at', type: 'timestamptz', nullable: true })
  verifiedAt!: Date | null;

  @Column({ name: 'verify_ok', type: 'boolean', nullable: true })
  verifyOk!: boolean | null;

  @Column({ name: 'verify_message', type: 'text', nullable: true })
  verifyMessage!: string | null;

  @Column({ name: 'restored_at', type: 'timestamptz', nullable: true })
  restoredAt!: Date | null;

  @Column({ name: 'last_restore', type: 'jsonb', nullable: true })
  lastRestore!: RestoreSummary | null;
}

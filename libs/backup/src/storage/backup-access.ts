import { Permission, authorize, can, type Actor, type Owned } from '#auth';
import { BackupScope, type BackupRecord } from './backup-record.entity.js';

/**
 * A USER archive belongs to whoever made or uploaded it (one found in BACKUP_DIR, to the person it holds); a HUB
 * archive to nobody, so only admins (BACKUP_MANAGE) reach it.
 */
export function backupAsOwned(record: Pick<BackupRecord, 'scope' | 'createdBy' | 'scopeUserId'>): Owned {
  return { ownerId: record.scope === BackupScope.USER ? (record.createdBy ?? record.scopeUserId) : null };
}

/** The record if the actor may act on it: a foreign archive is "not found", as elsewhere. */
export function authorizeBackup(actor: Actor, record: BackupRecord | null, id: string): BackupRecord {
  const permission = record?.scope === BackupScope.HUB ? Permission.BACKUP_MANAGE : Permission.BACKUP_OWN;
  authorize(actor, permission, record && backupAsOwned(record), { kind: 'Backup', id });
  return record!;
}

/** Whose archives a listing holds: every one for those who manage the hub's, else the actor's own. */
export const listedOwner = (actor: Actor): string | null => (can(actor, Permission.BACKUP_MANAGE) ? null : actor.id);

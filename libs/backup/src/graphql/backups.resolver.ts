import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Authorize, CurrentActor, Permission, type Actor } from '#auth';
import { BackupsService } from '../backups.service.js';
import { CreateBackupService } from '../create/create-backup.service.js';
import { RestoreBackupService } from '../restore/restore-backup.service.js';
import { BackupSource } from '../storage/backup-record.entity.js';
import { VerifyBackupService } from '../verify/verify-backup.service.js';
import { toBackupType } from './to-backup-type.js';
import { BackupType, RestoreBackupInput, RestoreReportType } from './backup.types.js';

/** Admins: whole-hub archives (download and upload are HTTP routes under /backups, same permission). */
@Resolver(() => BackupType)
export class BackupsResolver {
  constructor(
    private readonly store: BackupsService,
    private readonly creator: CreateBackupService,
    private readonly verifier: VerifyBackupService,
    private readonly restorer: RestoreBackupService,
  ) {}

  @Authorize(Permission.BACKUP_MANAGE)
  @Query(() => [BackupType], { description: 'Admins: stored backups, newest first (first <= 100, default 50)' })
  async backups(@Args('first', { type: () => Int, nullable: true }) first?: number) {
    return (await this.store.list(first)).map(toBackupType);
  }

  @Authorize(Permission.BACKUP_MANAGE)
  @Mutation(() => BackupType, { description: 'Admins: writes a whole-hub backup now, its secrets sealed with the passphrase (keep it: nothing else opens the archive)' })
  async createBackup(@Args('passphrase', { type: () => String }) passphrase: string, @CurrentActor() actor: Actor) {
    return toBackupType(await this.creator.create(passphrase, BackupSource.MANUAL, actor.id));
  }

  @Authorize(Permission.BACKUP_MANAGE)
  @Mutation(() => BackupType, { description: 'Admins: checks the checksums and that the passphrase opens the archive; records the outcome' })
  async verifyBackup(@Args('id', { type: () => ID }) id: string, @Args('passphrase', { type: () => String }) passphrase: string) {
    return toBackupType(await this.verifier.verify(id, passphrase));
  }

  @Authorize(Permission.BACKUP_MANAGE)
  @Mutation(() => RestoreReportType, { description: 'Admins: restores an archive in one transaction (dryRun, the default, only reports what it would do)' })
  restoreBackup(@Args('input', { type: () => RestoreBackupInput }) input: RestoreBackupInput) {
    return this.restorer.restore(input.backupId, input.passphrase, input.strategy, input.dryRun);
  }

  @Authorize(Permission.BACKUP_MANAGE)
  @Mutation(() => Boolean, { description: 'Admins: deletes the archive file and its entry' })
  deleteBackup(@Args('id', { type: () => ID }) id: string) {
    return this.store.remove(id);
  }
}

import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Authorize, CurrentActor, Permission, authorizeAttempt, type Actor } from '#auth';
import { BackupsService } from '../backups.service.js';
import { CreateBackupService } from '../create/create-backup.service.js';
import { RestoreBackupService } from '../restore/restore-backup.service.js';
import { BackupScope, BackupSource } from '../storage/backup-record.entity.js';
import { VerifyBackupService } from '../verify/verify-backup.service.js';
import { toBackupType } from './to-backup-type.js';
import { BackupType, RestoreBackupInput, RestoreReportType } from './backup.types.js';

/**
 * Whole-hub archives (admins) and personal ones (anyone: their own configuration). Download and upload are HTTP
 * routes under /backups, same rules. Which archive a person may act on is the access policy's (backupAsOwned).
 */
@Resolver(() => BackupType)
export class BackupsResolver {
  constructor(
    private readonly store: BackupsService,
    private readonly creator: CreateBackupService,
    private readonly verifier: VerifyBackupService,
    private readonly restorer: RestoreBackupService,
  ) {}

  @Authorize(Permission.BACKUP_OWN)
  @Query(() => [BackupType], { description: 'Stored backups, newest first (first <= 100, default 50): admins see all, others their own personal ones' })
  async backups(@CurrentActor() actor: Actor, @Args('first', { type: () => Int, nullable: true }) first?: number) {
    return (await this.store.list(actor, first)).map(toBackupType);
  }

  @Authorize(Permission.BACKUP_OWN)
  @Mutation(() => BackupType, {
    description:
      'Writes a backup now, its secrets sealed with the passphrase (keep it: nothing else opens the archive). scope HUB (the default; admins): the whole hub. scope USER (anyone): your own servers with their replicas, groups with members, filters and rules, and your own credentials',
  })
  async createBackup(
    @Args('passphrase', { type: () => String }) passphrase: string,
    @CurrentActor() actor: Actor,
    @Args('scope', { type: () => BackupScope, defaultValue: BackupScope.HUB }) scope: BackupScope,
  ) {
    if (scope === BackupScope.USER) return toBackupType(await this.creator.createForUser(passphrase, actor.id));
    authorizeAttempt(actor, Permission.BACKUP_MANAGE, 'Only admins may back up the whole hub; use scope USER for your own configuration');
    return toBackupType(await this.creator.create(passphrase, BackupSource.MANUAL, actor.id));
  }

  @Authorize(Permission.BACKUP_OWN)
  @Mutation(() => BackupType, { description: 'Checks the checksums and that the passphrase opens the archive; records the outcome' })
  async verifyBackup(@Args('id', { type: () => ID }) id: string, @Args('passphrase', { type: () => String }) passphrase: string, @CurrentActor() actor: Actor) {
    return toBackupType(await this.verifier.verify(id, passphrase, actor));
  }

  @Authorize(Permission.BACKUP_OWN)
  @Mutation(() => RestoreReportType, {
    description:
      'Restores an archive in one transaction (dryRun, the default, only reports what it would do). A HUB archive (admins) puts its rows back; a USER archive is imported into your own account through the checks you are held to when creating things by hand (refused items are reported as REFUSED and left out)',
  })
  restoreBackup(@Args('input', { type: () => RestoreBackupInput }) input: RestoreBackupInput, @CurrentActor() actor: Actor) {
    return this.restorer.restore(actor, input.backupId, input.passphrase, input.strategy, input.dryRun);
  }

  @Authorize(Permission.BACKUP_OWN)
  @Mutation(() => Boolean, { description: 'Deletes the archive file and its entry' })
  deleteBackup(@Args('id', { type: () => ID }) id: string, @CurrentActor() actor: Actor) {
    return this.store.remove(actor, id);
  }
}

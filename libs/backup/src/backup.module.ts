import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ArchiveReader } from './archive/archive-reader.js';
import { BackupsService } from './backups.service.js';
import { BackupRetention } from './create/backup-retention.service.js';
import { CreateBackupService } from './create/create-backup.service.js';
import { BackupsResolver } from './graphql/backups.resolver.js';
import { BackupTransferController } from './http/backup-transfer.controller.js';
import { BackupProcessor } from './jobs/backup.processor.js';
import { BackupSchedule } from './jobs/backup-schedule.js';
import { CredentialsApiModule } from '#credentials';
import { GroupsModule } from '#groups';
import { RoutingRulesModule } from '#routing-rules';
import { ServersModule } from '#servers';
import { UsersModule } from '#users';
import { RestoreBackupService } from './restore/restore-backup.service.js';
import { PlanUserRestore } from './restore/user/plan-user-restore.service.js';
import { RestoreUserBackupService } from './restore/user/restore-user-backup.service.js';
import { SecretResealer } from './snapshot/secret-resealer.js';
import { TableRowsRepository } from './snapshot/table-rows.repository.js';
import { BackupFiles } from './storage/backup-files.js';
import { BackupIndexer } from './storage/backup-indexer.js';
import { BackupRecord } from './storage/backup-record.entity.js';
import { BackupRecordsRepository } from './storage/backup-records.repository.js';
import { VerifyBackupService } from './verify/verify-backup.service.js';

const CORE = [TableRowsRepository, SecretResealer, BackupFiles, BackupRecordsRepository, ArchiveReader, CreateBackupService, VerifyBackupService];

@Module({ imports: [TypeOrmModule.forFeature([BackupRecord])], providers: CORE, exports: CORE })
class BackupCoreModule {}

/**
 * The hub's side: the backup API (GraphQL) and the archive download and upload routes. A personal restore goes
 * through the domains' services (servers, groups, rules, credentials), so it imports their modules.
 */
@Module({
  imports: [BackupCoreModule, ServersModule, GroupsModule, RoutingRulesModule, CredentialsApiModule, UsersModule],
  providers: [BackupsService, RestoreBackupService, PlanUserRestore, RestoreUserBackupService, BackupsResolver, BackupIndexer],
  controllers: [BackupTransferController],
})
export class BackupModule {}

/** Processor side (the worker; the hub in embedded mode): BACKUP_SCHEDULE, its verification and retention. */
@Module({ imports: [BackupCoreModule], providers: [BackupRetention, BackupProcessor, BackupSchedule] })
export class BackupProcessorsModule {}

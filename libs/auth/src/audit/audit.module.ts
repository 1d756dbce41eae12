import { Injectable, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { JobName, JobsService, ScheduleReconciler } from '#core';
import { AuditEntry } from './audit-entry.entity.js';
import { AuditLogRepository } from './audit-log.repository.js';
import { AuditLogService } from './audit-log.service.js';
import { AuditLogWriter } from './audit-log.writer.js';
import { AuditExportController } from './export/audit-export.controller.js';
import { AuditLogResolver } from './graphql/audit-log.resolver.js';
import { AuditSubscriber } from './recording/audit.subscriber.js';
import { MutationAuditor } from './recording/mutation-auditor.js';
import { AuditRetentionProcessor } from './retention/audit-retention.processor.js';
import { AuditRetention } from './retention/audit-retention.service.js';

export const AUDIT_RETENTION_SCHEDULER_ID = 'audit:retention';
export const AUDIT_RETENTION_EVERY_MS = 3_600_000;

@Module({ imports: [TypeOrmModule.forFeature([AuditEntry])], providers: [AuditLogRepository], exports: [AuditLogRepository] })
class AuditStorageModule {}

/** The hub's side: recording every mutation, the `auditLog` query and the export route. */
@Module({
  imports: [AuditStorageModule],
  providers: [AuditLogWriter, AuditSubscriber, MutationAuditor, AuditLogService, AuditLogResolver],
  controllers: [AuditExportController],
  exports: [AuditLogWriter, MutationAuditor],
})
export class AuditModule {}

@Injectable()
class AuditRetentionSchedule implements OnApplicationBootstrap {
  constructor(
    private readonly retention: AuditRetention,
    private readonly jobs: JobsService,
    private readonly reconciler: ScheduleReconciler,
  ) {}

  async onApplicationBootstrap() {
    // With retention off (0 days) a schedule left from an earlier configuration is removed.
    const schedule = () =>
      this.retention.enabled
        ? this.jobs.schedule(AUDIT_RETENTION_SCHEDULER_ID, JobName.AUDIT_RETENTION, AUDIT_RETENTION_EVERY_MS)
        : this.jobs.unschedule(AUDIT_RETENTION_SCHEDULER_ID, JobName.AUDIT_RETENTION);
    this.reconciler.register('audit-retention', schedule);
    await schedule();
  }
}

/** Processor side (the worker; the hub in embedded mode): the hourly retention job. */
@Module({ imports: [AuditStorageModule], providers: [AuditRetention, AuditRetentionProcessor, AuditRetentionSchedule] })
export class AuditRetentionModule {}

import { Injectable, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { JobName, JobsService, ScheduleReconciler } from '#core';
import { CallLogRepository } from '../call-log.repository.js';
import { CallLogRetention } from './call-log-retention.js';
import { CallLogProcessor } from './call-log.processor.js';

export const CALL_LOG_RETENTION_SCHEDULER_ID = 'call-log:retention';
/** Retention is in days: hourly runs keep the table within an hour of its bound. */
export const CALL_LOG_RETENTION_EVERY_MS = 3_600_000;

@Injectable()
class CallLogRetentionSchedule implements OnApplicationBootstrap {
  constructor(
    private readonly jobs: JobsService,
    private readonly reconciler: ScheduleReconciler,
  ) {}

  async onApplicationBootstrap() {
    const schedule = () => this.jobs.schedule(CALL_LOG_RETENTION_SCHEDULER_ID, JobName.CALL_LOG_RETENTION, CALL_LOG_RETENTION_EVERY_MS);
    // A Redis restarted empty loses the schedule; the reconciler puts it back.
    this.reconciler.register('call-log-retention', schedule);
    await schedule();
  }
}

/** Processor side of the call log (the worker; the hub itself in embedded mode). */
@Module({ providers: [CallLogRepository, CallLogRetention, CallLogProcessor, CallLogRetentionSchedule] })
export class CallLogProcessorsModule {}

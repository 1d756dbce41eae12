import { Injectable, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { JobName } from '../job-names.js';
import { JobsService } from '../jobs.service.js';
import { ScheduleReconciler } from '../schedule-reconciler.js';
import { SystemProcessor } from './system.processor.js';
import { WorkerHeartbeat } from './worker-heartbeat.service.js';

export const HEARTBEAT_EVERY_MS = 30_000;
/** Readiness (Redis mode) calls the worker stale after three missed beats. */
export const WORKER_HEARTBEAT_STALE_AFTER_MS = 3 * HEARTBEAT_EVERY_MS;

export const HEARTBEAT_SCHEDULER_ID = 'system:worker-heartbeat';

@Injectable()
class HeartbeatSchedule implements OnApplicationBootstrap {
  constructor(
    private readonly jobs: JobsService,
    private readonly reconciler: ScheduleReconciler,
  ) {}
  async onApplicationBootstrap() {
    const schedule = () => this.jobs.schedule(HEARTBEAT_SCHEDULER_ID, JobName.WORKER_HEARTBEAT, HEARTBEAT_EVERY_MS);
    this.reconciler.register('worker-heartbeat', schedule);
    await schedule();
  }
}

/** Producer side (any process): the heartbeat reader. */
@Module({ providers: [WorkerHeartbeat], exports: [WorkerHeartbeat] })
export class SystemJobsModule {}

/** Processor side (worker, or hub in embedded mode): runs and schedules the heartbeat. */
@Module({ imports: [SystemJobsModule], providers: [SystemProcessor, HeartbeatSchedule] })
export class SystemProcessorsModule {}

import { Injectable, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { JobName } from '../job-names.js';
import { JobsService } from '../jobs.service.js';
import { SystemProcessor } from './system.processor.js';
import { WorkerHeartbeat } from './worker-heartbeat.service.js';

export const HEARTBEAT_EVERY_MS = 30_000;

@Injectable()
class HeartbeatSchedule implements OnApplicationBootstrap {
  constructor(private readonly jobs: JobsService) {}
  async onApplicationBootstrap() {
    await this.jobs.schedule('system:worker-heartbeat', JobName.WORKER_HEARTBEAT, HEARTBEAT_EVERY_MS);
  }
}

/** Producer side (any process): the heartbeat reader. */
@Module({ providers: [WorkerHeartbeat], exports: [WorkerHeartbeat] })
export class SystemJobsModule {}

/** Processor side (worker, or hub in embedded mode): runs and schedules the heartbeat. */
@Module({ imports: [SystemJobsModule], providers: [SystemProcessor, HeartbeatSchedule] })
export class SystemProcessorsModule {}

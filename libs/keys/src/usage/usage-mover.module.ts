import { Inject, Injectable, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { HUB_CONFIG, JobName, JobsService, REDIS, ScheduleReconciler, type HubConfig } from '#core';
import { UsageBatch } from './usage-batch.entity.js';
import { UsageMover } from './usage.mover.js';
import { UsageProcessor } from './usage.processor.js';

export const USAGE_MOVE_SCHEDULER_ID = 'usage:move';

/** The mover itself (the hub uses it to refresh a usage report; the worker runs it on a schedule). */
@Module({ imports: [TypeOrmModule.forFeature([UsageBatch])], providers: [UsageMover], exports: [UsageMover] })
export class UsageMoverModule {}

@Injectable()
class UsageMoveSchedule implements OnApplicationBootstrap {
  constructor(
    private readonly jobs: JobsService,
    private readonly reconciler: ScheduleReconciler,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    @Inject(REDIS) private readonly redis: unknown,
  ) {}

  async onApplicationBootstrap() {
    // Embedded mode has nothing in Redis to move: UsageRecorder writes usage itself.
    if (!this.redis) return;
    const schedule = () => this.jobs.schedule(USAGE_MOVE_SCHEDULER_ID, JobName.USAGE_MOVE, this.config.usage.flushIntervalMs);
    // A Redis restarted empty loses the schedule; without it usage would wait in Redis forever.
    this.reconciler.register('usage-move', schedule);
    await schedule();
  }
}

/** Processor side (the worker; the hub in embedded mode, where the job has a handler but no schedule). */
@Module({ imports: [UsageMoverModule], providers: [UsageProcessor, UsageMoveSchedule] })
export class UsageProcessorsModule {}

import { Global, Inject, Injectable, Module, type DynamicModule, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryModule, DiscoveryService } from '@nestjs/core';
import { BullModule } from '@nestjs/bullmq';
import type { HubConfig } from '../config/hub-config.js';
import { BullJobsService } from './bull-jobs.service.js';
import { InProcessJobsService } from './in-process-jobs.service.js';
import { JobName, QueueName } from './job-names.js';
import { JobsService } from './jobs.service.js';
import { JOBS_OPTIONS } from './jobs-options.js';
import { discoverProcessors } from './processor-discovery.js';
import { QueueErrorLog } from './queue-error-log.js';
import { ScheduleReconcileTrigger } from './schedule-reconcile-trigger.js';
import { ScheduleReconciler } from './schedule-reconciler.js';

/** In a BullMQ worker process: fail the boot if a job has no handler or two. */
@Injectable()
class ProcessorCheck implements OnApplicationBootstrap {
  constructor(
    private readonly discovery: DiscoveryService,
    @Inject(JOBS_OPTIONS) private readonly options: JobsModuleOptions,
  ) {}
  onApplicationBootstrap() {
    discoverProcessors(this.discovery, this.options.handles);
  }
}

export interface JobsModuleOptions {
  /** This process runs job processors (the worker; or the hub in embedded mode, which has no separate worker). */
  processes: boolean;
  /** Jobs this process must handle; default every job (a partial set is for focused test contexts). */
  handles?: readonly JobName[];
  /** Redis mode: how often schedules are re-upserted besides after each reconnect (default 60 s; tests go faster). */
  reconcileEveryMs?: number;
}


@Global()
@Module({})
export class JobsModule {
  static forRoot(config: HubConfig, options: JobsModuleOptions): DynamicModule {
    if (!config.redisUrl) {
      return {
        module: JobsModule,
        imports: [DiscoveryModule],
        // In-process schedules live in this process's timers: nothing to lose, so no reconcile trigger.
        providers: [{ provide: JobsService, useClass: InProcessJobsService }, { provide: JOBS_OPTIONS, useValue: options }, ScheduleReconciler],
        exports: [JobsService, ScheduleReconciler],
      };
    }
    return {
      module: JobsModule,
      imports: [
        DiscoveryModule,
        BullModule.forRoot({
          connection: { url: config.redisUrl, maxRetriesPerRequest: null },
          prefix: 'mcphub',
        }),
        BullModule.registerQueue(...Object.values(QueueName).map((name) => ({ name }))),
      ],
      providers: [
        { provide: JobsService, useClass: BullJobsService },
        { provide: JOBS_OPTIONS, useValue: options },
        ScheduleReconciler,
        QueueErrorLog,
        ...(options.processes ? [ProcessorCheck, ScheduleReconcileTrigger] : []),
      ],
      exports: [JobsService, BullModule, ScheduleReconciler],
    };
  }
}

import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { WorkerModule } from '../../apps/worker/src/worker.module.js';
import type { HubConfig, JobsModuleOptions } from '#core';

/** The worker process of production mode (apps/worker: BullMQ jobs), booted in the spec's process with `config`. */
export async function startWorker(config: HubConfig, jobs: Partial<JobsModuleOptions> = {}): Promise<INestApplicationContext> {
  return (await Test.createTestingModule({ imports: [WorkerModule.forRoot(config, jobs)] }).compile()).init();
}

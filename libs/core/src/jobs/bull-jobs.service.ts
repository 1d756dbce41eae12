import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { JOB_RETENTION, JOB_RETRY, QUEUE_OF, type JobName } from './job-names.js';
import { JobsService, type EnqueueOptions } from './jobs.service.js';

const jobOptions = {
  attempts: JOB_RETRY.attempts,
  backoff: { type: 'exponential', delay: JOB_RETRY.backoffMs },
  removeOnComplete: JOB_RETENTION.completed,
  removeOnFail: JOB_RETENTION.failed,
};

@Injectable()
export class BullJobsService extends JobsService {
  constructor(private readonly moduleRef: ModuleRef) {
    super();
  }

  private queue(name: JobName): Queue {
    return this.moduleRef.get<Queue>(getQueueToken(QUEUE_OF[name]), { strict: false });
  }

  async enqueue(name: JobName, data: object = {}, options: EnqueueOptions = {}): Promise<void> {
    const retry = options.retry ? { attempts: options.retry.attempts, backoff: { type: 'exponential', delay: options.retry.backoffMs } } : {};
    await this.queue(name).add(name, data, { ...jobOptions, ...retry });
  }

  async schedule(schedulerId: string, name: JobName, everyMs: number, data: object = {}): Promise<void> {
    await this.queue(name).upsertJobScheduler(schedulerId, { every: everyMs }, { name, data, opts: jobOptions });
  }

  async scheduleCron(schedulerId: string, name: JobName, pattern: string, data: object = {}): Promise<void> {
    await this.queue(name).upsertJobScheduler(schedulerId, { pattern, tz: 'UTC' }, { name, data, opts: jobOptions });
  }

  async unschedule(schedulerId: string, name: JobName): Promise<void> {
    await this.queue(name).removeJobScheduler(schedulerId);
  }
}

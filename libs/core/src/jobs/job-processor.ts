import { WorkerHost } from '@nestjs/bullmq';
import type { JobName } from './job-names.js';

/** The part of a BullMQ Job that handlers may rely on, so the in-process runner can supply it too. */
export interface JobLike<T = unknown> {
  id?: string;
  name: string;
  data: T;
  attemptsMade: number;
}

export type JobHandlers = Partial<Record<JobName, (data: never) => Promise<unknown>>>;

/**
 * Base of every processor: maps job names to one service call each. Subclasses carry @Processor(QueueName.X)
 * and run under a BullMQ Worker (Redis mode) or the in-process runner (embedded mode).
 */
export abstract class JobProcessor extends WorkerHost {
  abstract readonly handlers: JobHandlers;

  override async process(job: JobLike): Promise<unknown> {
    const handler = this.handlers[job.name as JobName] as ((data: unknown) => Promise<unknown>) | undefined;
    if (!handler) throw new Error(`No handler for job "${job.name}" in ${this.constructor.name}`);
    return handler(job.data);
  }
}

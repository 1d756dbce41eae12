import type { JobName, JobRetryPolicy } from './job-names.js';

export interface EnqueueOptions {
  /** Default JOB_RETRY. */
  retry?: JobRetryPolicy;
}

/** Producer side of background jobs; the same calls work with BullMQ (Redis) and in-process (embedded). */
export abstract class JobsService {
  abstract enqueue(name: JobName, data?: object, options?: EnqueueOptions): Promise<void>;
  /** Recurring job with a stable id: calling again replaces the schedule (BullMQ upsertJobScheduler). */
  abstract schedule(schedulerId: string, name: JobName, everyMs: number, data?: object): Promise<void>;
  /** Recurring job on a cron pattern (UTC), stable id; unschedule() removes it too. */
  abstract scheduleCron(schedulerId: string, name: JobName, pattern: string, data?: object): Promise<void>;
  abstract unschedule(schedulerId: string, name: JobName): Promise<void>;
}

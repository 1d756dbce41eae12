import { Inject, Optional, type BeforeApplicationShutdown, type OnModuleDestroy } from '@nestjs/common';
import { WorkerHost } from '@nestjs/bullmq';
import { WaitingError, type Worker } from 'bullmq';
import { JobMetrics } from '../metrics/job-metrics.js';
import type { JobName } from './job-names.js';
import { ShuttingDownError, stoppingController } from './shutting-down.js';

/** The part of a BullMQ Job that handlers may rely on, so the in-process runner can supply it too. */
export interface JobLike<T = unknown> {
  id?: string;
  name: string;
  data: T;
  attemptsMade: number;
  /** BullMQ only: back to the queue, for another worker (or this one's successor) to run from the start. */
  moveToWait?(token?: string): Promise<number>;
}

/** `stopping` aborts when the process begins to shut down: a handler waiting on something slow gives up then. */
export type JobHandlers = Partial<Record<JobName, (data: never, stopping: AbortSignal) => Promise<unknown>>>;

/**
 * Base of every processor: maps job names to one service call each. Subclasses carry @Processor(QueueName.X)
 * and run under a BullMQ Worker (Redis mode) or the in-process runner (embedded mode).
 */
export abstract class JobProcessor extends WorkerHost implements OnModuleDestroy, BeforeApplicationShutdown {
  abstract readonly handlers: JobHandlers;
  /**
   * Aborts in the first shutdown phase (onModuleDestroy). The runners wait for running jobs in the second
   * (beforeApplicationShutdown: BullMQ's worker close below, the in-process runner's grace), and the database and
   * Redis close in the third (onApplicationShutdown): a job stuck on a slow start (a health check of a server that
   * hangs) ends at once, and a job that records where it stopped still has its database to do it.
   */
  private readonly stopping = stoppingController();

  /** Property-injected so subclasses keep their own constructors; absent in contexts without MetricsModule. */
  @Optional() @Inject(JobMetrics) private readonly jobMetrics?: JobMetrics;

  /**
   * Both runners call this once per attempt: the one place to count job runs. A handler that gives up because the
   * process is stopping (ShuttingDownError) did not fail: under BullMQ the job goes back to the queue for another
   * worker, not counted as an attempt; the in-process runner drops it (its work says how it resumes at the next start).
   */
  override async process(job: JobLike, token?: string): Promise<unknown> {
    const handler = this.handlers[job.name as JobName] as ((data: unknown, stopping: AbortSignal) => Promise<unknown>) | undefined;
    if (!handler) throw new Error(`No handler for job "${job.name}" in ${this.constructor.name}`);
    const started = performance.now();
    try {
      const result = await handler(job.data, this.stopping.signal);
      this.jobMetrics?.record(job.name, 'completed', (performance.now() - started) / 1000);
      return result;
    } catch (error) {
      if (error instanceof ShuttingDownError && job.moveToWait) {
        await job.moveToWait(token);
        throw new WaitingError();
      }
      if (!(error instanceof ShuttingDownError)) this.jobMetrics?.record(job.name, 'failed', (performance.now() - started) / 1000);
      throw error;
    }
  }

  onModuleDestroy(): void {
    this.stopping.abort();
  }

  /** @nestjs/bullmq closes its workers in the last phase, beside the database: too late for a job still writing. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.bullWorker()?.close();
  }

  /** The BullMQ worker running this processor; none under the in-process runner (WorkerHost's getter throws then). */
  private bullWorker(): Worker | undefined {
    try {
      return this.worker;
    } catch {
      return undefined;
    }
  }
}

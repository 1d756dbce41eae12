import { AsyncResource } from 'node:async_hooks';
import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { Logger } from 'pino';
import { CronExpressionParser } from 'cron-parser';
import { PINO } from '../logging/logging.module.js';
import { JOB_RETRY, type JobName, type JobRetryPolicy } from './job-names.js';
import { JOBS_OPTIONS } from './jobs-options.js';
import type { JobProcessor } from './job-processor.js';
import { JobsService, type EnqueueOptions } from './jobs.service.js';
import { discoverProcessors } from './processor-discovery.js';
import { ShuttingDownError } from './shutting-down.js';

const MAX_TIMER_MS = 2 ** 31 - 1;
/** How long a shutdown waits for running jobs. */
const SHUTDOWN_GRACE_MS = 10_000;

/** Embedded mode: runs the same processors in this process, with the same retry policy, no Redis needed. */
@Injectable()
export class InProcessJobsService extends JobsService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private processors?: Map<JobName, JobProcessor>;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();
  /** Wakes retries waiting out their backoff, so shutdown does not wait for them. */
  private readonly sleepers = new Set<() => void>();
  private stopped = false;
  private seq = 0;
  /**
   * Runs a job in the context this service was built in (boot), not in the request that scheduled it: a job is not
   * part of that request (its log lines, its audit entry), nor are the runs its interval timer makes later.
   */
  private readonly detached = AsyncResource.bind(<T>(fn: () => T): T => fn());

  constructor(
    private readonly discovery: DiscoveryService,
    @Inject(PINO) private readonly logger: Logger,
    @Inject(JOBS_OPTIONS) private readonly options: { handles?: readonly JobName[] },
  ) {
    super();
  }

  onApplicationBootstrap() {
    this.discovered();
  }

  /** Also on first use: another provider's bootstrap hook may enqueue before this one has run. */
  private discovered(): Map<JobName, JobProcessor> {
    return (this.processors ??= discoverProcessors(this.discovery, this.options.handles));
  }

  async enqueue(name: JobName, data: object = {}, options: EnqueueOptions = {}): Promise<void> {
    this.track(this.detached(() => this.run(name, data, options.retry)));
  }

  async schedule(schedulerId: string, name: JobName, everyMs: number, data: object = {}): Promise<void> {
    await this.unschedule(schedulerId);
    // Like a BullMQ `every` scheduler: the first run is due now, then one per interval.
    this.detached(() => {
      this.track(this.run(name, data));
      const timer = setInterval(() => this.track(this.run(name, data)), everyMs);
      timer.unref();
      this.timers.set(schedulerId, timer);
    });
  }

  async scheduleCron(schedulerId: string, name: JobName, pattern: string, data: object = {}): Promise<void> {
    await this.unschedule(schedulerId);
    const expression = CronExpressionParser.parse(pattern, { tz: 'UTC' });
    // One timer to the next occurrence at a time (a timer cannot wait longer than ~24.8 days: wake and re-arm).
    const arm = () => {
      if (this.stopped) return;
      const due = expression.next().getTime();
      const wait = () => {
        const left = due - Date.now();
        const timer = setTimeout(() => {
          if (left > MAX_TIMER_MS) return wait();
          this.track(this.run(name, data));
          arm();
        }, Math.min(Math.max(left, 0), MAX_TIMER_MS));
        timer.unref();
        this.timers.set(schedulerId, timer);
      };
      wait();
    };
    this.detached(arm);
  }

  async unschedule(schedulerId: string): Promise<void> {
    clearTimeout(this.timers.get(schedulerId));
    clearInterval(this.timers.get(schedulerId));
    this.timers.delete(schedulerId);
  }

  /** Before the database closes (onApplicationShutdown): a job told to stop may still record where it stopped. */
  async beforeApplicationShutdown() {
    this.stopped = true;
    for (const timer of this.timers.values()) {
      clearInterval(timer);
      clearTimeout(timer);
    }
    this.timers.clear();
    for (const wake of this.sleepers) wake();
    // A stuck job must not hold the process forever: every job here is periodic or resumable (deliveries and npm
    // pre-fetches are recovered at boot, rotations resume, a backup's temporary file is never renamed into place).
    const settled = Promise.allSettled([...this.running]).then(() => true);
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), SHUTDOWN_GRACE_MS).unref()));
    if (!(await Promise.race([settled, gaveUp]))) this.logger.warn({ running: this.running.size, waitedMs: SHUTDOWN_GRACE_MS }, 'shutting down with jobs still running');
    clearTimeout(timer);
  }

  private track(run: Promise<void>) {
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
  }

  private async run(name: JobName, data: object, retry: JobRetryPolicy = JOB_RETRY): Promise<void> {
    const processor = this.discovered().get(name);
    if (!processor) throw new Error(`No processor for job "${name}"`);
    const id = `local-${++this.seq}`;
    for (let attempt = 0; attempt < retry.attempts && !this.stopped; attempt++) {
      try {
        await processor.process({ id, name, data, attemptsMade: attempt });
        return;
      } catch (error) {
        if (error instanceof ShuttingDownError) return; // not a failure: the job's own work says how it resumes
        this.logger.warn({ job: name, id, attempt, err: (error as Error).message }, 'job failed');
        if (attempt + 1 < retry.attempts) await this.sleep(retry.backoffMs * 2 ** attempt);
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      timer.unref();
      this.sleepers.add(wake);
    });
  }
}

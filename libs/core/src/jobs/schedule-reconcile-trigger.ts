import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { REDIS } from '../redis/redis.module.js';
import { JOBS_OPTIONS } from './jobs-options.js';
import { ScheduleReconciler } from './schedule-reconciler.js';

/** Also reconcile on a timer: catches a loss the reconnect event did not show (e.g. FLUSHALL without a restart). */
export const RECONCILE_SCHEDULES_EVERY_MS = 60_000;

/** Redis mode, in the process that owns schedules (the worker): reconcile after every reconnect and periodically. */
@Injectable()
export class ScheduleReconcileTrigger implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private readonly onReady = () => void this.reconciler.reconcileAll('redis reconnected');

  constructor(
    private readonly reconciler: ScheduleReconciler,
    @Inject(REDIS) private readonly redis: Redis | null,
    @Inject(JOBS_OPTIONS) private readonly options: { reconcileEveryMs?: number },
  ) {}

  onApplicationBootstrap() {
    // The owners schedule at their own bootstrap; from here on, a Redis that comes back empty gets them again.
    this.redis?.on('ready', this.onReady);
    this.timer = setInterval(() => void this.reconciler.reconcileAll('periodic'), this.options.reconcileEveryMs ?? RECONCILE_SCHEDULES_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown() {
    this.redis?.off('ready', this.onReady);
    clearInterval(this.timer);
  }
}

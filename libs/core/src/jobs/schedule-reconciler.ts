import { Inject, Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { PINO } from '../logging/logging.module.js';

/**
 * Every owner of recurring jobs registers how to (re)create its schedules. Redis can lose them (a restart without
 * persistence, a flush); re-upserting with the same stable ids is idempotent, so reconciling is always safe.
 */
@Injectable()
export class ScheduleReconciler implements BeforeApplicationShutdown {
  private readonly owners = new Map<string, () => Promise<void>>();
  private running?: Promise<void>;
  private stopped = false;

  constructor(@Inject(PINO) private readonly logger: Logger) {}

  register(owner: string, reconcile: () => Promise<void>): void {
    this.owners.set(owner, reconcile);
  }

  /** One pass at a time: a trigger during a pass joins it. */
  reconcileAll(reason: string): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.running ??= this.pass(reason).finally(() => (this.running = undefined));
    return this.running;
  }

  /** Before the database and queues close: no new pass, and the current one finishes first. */
  async beforeApplicationShutdown() {
    this.stopped = true;
    await this.running;
  }

  private async pass(reason: string): Promise<void> {
    for (const [owner, reconcile] of this.owners) {
      if (this.stopped) return;
      try {
        await reconcile();
      } catch (error) {
        this.logger.warn({ owner, reason, err: (error as Error).message }, 'could not reconcile job schedules; will retry');
      }
    }
    this.logger.debug({ reason, owners: [...this.owners.keys()] }, 'job schedules reconciled');
  }
}

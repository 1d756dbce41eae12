import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigChangeBus, PINO, type ConfigChange, type Logger } from '#core';
import { AlertDispatcher } from './alert-dispatcher.service.js';
import { alertOf } from './alert-events.js';
import { AlertSubjects } from './alert-subjects.js';

/**
 * Hears health transitions, quota thresholds and upstream failure bursts on the config bus and dispatches them.
 * Only events published in this process: every hub and the worker hear every event, but the one that detected it
 * sends it, so it goes out once. Runs in every process that detects events (hub and worker).
 */
@Injectable()
export class AlertEventListener implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private unsubscribe?: () => void;
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly bus: ConfigChangeBus,
    private readonly dispatcher: AlertDispatcher,
    private readonly subjects: AlertSubjects,
    @Inject(PINO) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap() {
    this.unsubscribe = this.bus.subscribe((change, origin) => {
      if (origin !== 'local' || !ALERT_KINDS.has(change.kind)) return;
      // The bus calls listeners synchronously from the publisher (the quota check on the call path): never wait here.
      const work = this.handle(change).finally(() => this.pending.delete(work));
      this.pending.add(work);
    });
  }

  /** Events heard before shutdown are still logged and queued while the database is open. */
  async beforeApplicationShutdown() {
    this.unsubscribe?.();
    await Promise.allSettled([...this.pending]);
  }

  private async handle(change: ConfigChange): Promise<void> {
    try {
      const alert = await alertOf(change, this.subjects);
      if (alert) await this.dispatcher.dispatch(alert);
    } catch (error) {
      this.logger.error({ kind: change.kind, id: change.id, err: (error as Error).message }, 'alert could not be dispatched');
    }
  }
}

const ALERT_KINDS = new Set<ConfigChange['kind']>(['server-health', 'key-quota', 'upstream-failures']);

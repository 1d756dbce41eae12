import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { HUB_CONFIG, PINO, type HubConfig, type Logger } from '#core';
import { NotificationDeliveriesRepository } from '../deliveries/notification-deliveries.repository.js';
import { AlertDispatcher } from '../dispatch/alert-dispatcher.service.js';

/** At most this many unfinished deliveries are picked up at one start (oldest first); the rest stay in the log. */
export const RECOVERED_PER_START = 1_000;

/**
 * Embedded mode keeps queued jobs in memory: deliveries that were pending or waiting for a retry when the hub
 * stopped are queued again at start (the delivery log keeps their attempt count). With Redis, BullMQ keeps them.
 */
@Injectable()
export class UnfinishedDeliveriesRecovery implements OnApplicationBootstrap {
  constructor(
    private readonly deliveries: NotificationDeliveriesRepository,
    private readonly dispatcher: AlertDispatcher,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    @Inject(PINO) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap() {
    if (this.config.redisUrl) return;
    const unfinished = await this.deliveries.unfinished(RECOVERED_PER_START);
    for (const delivery of unfinished) await this.dispatcher.enqueue(delivery);
    if (unfinished.length) this.logger.info({ deliveries: unfinished.length }, 'unfinished alert deliveries queued again');
  }
}

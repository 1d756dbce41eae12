import { Inject, Injectable } from '@nestjs/common';
import { HUB_CONFIG, JobName, JobsService, PINO, type HubConfig, type Logger } from '#core';
import { DeliveryStatus, type NotificationEventType } from '../alert-types.js';
import { mayReceive } from '../channels/channel-access.js';
import type { NotificationChannel } from '../channels/notification-channel.entity.js';
import { NotificationChannelsRepository } from '../channels/notification-channels.repository.js';
import type { NotificationDelivery } from '../deliveries/notification-delivery.entity.js';
import { NotificationDeliveriesRepository } from '../deliveries/notification-deliveries.repository.js';
import type { AlertEvent, RoutedAlert } from './alert-event.js';
import { AlertOnce } from './alert-once.js';

/** The data of one ALERT_DELIVER job. */
export interface AlertDeliveryJob {
  deliveryId: string;
  /** What the queue was told, so the last attempt knows it is the last. */
  maxAttempts: number;
}

/** Turns an event into one logged delivery and one job per channel that subscribed to it and may receive it. */
@Injectable()
export class AlertDispatcher {
  constructor(
    private readonly channels: NotificationChannelsRepository,
    private readonly deliveries: NotificationDeliveriesRepository,
    private readonly jobs: JobsService,
    private readonly once: AlertOnce,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    @Inject(PINO) private readonly logger: Logger,
  ) {}

  /** Returns how many deliveries were queued. */
  async dispatch(alert: RoutedAlert): Promise<number> {
    const subscribed = await this.channels.findSubscribed(alert.event.type as NotificationEventType);
    const recipients = subscribed.filter((channel) => channel.owner && mayReceive(channel.owner, alert.subjectOwnerId));
    if (!recipients.length) return 0;
    if (alert.once && !(await this.once.claim(alert.once.key, alert.once.ttlMs))) return 0;
    for (const channel of recipients) await this.deliver(channel, alert.event);
    return recipients.length;
  }

  /** Logs the delivery and queues its job; a delivery that cannot be queued is logged as FAILED, not left pending. */
  async deliver(channel: Pick<NotificationChannel, 'id'>, event: AlertEvent): Promise<NotificationDelivery> {
    const delivery = await this.deliveries.insert({ channelId: channel.id, eventType: event.type, event });
    if (!(await this.enqueue(delivery))) {
      const failed = { status: DeliveryStatus.FAILED, error: 'could not be queued: the job queue is unavailable', completedAt: new Date() };
      await this.deliveries.record(delivery.id, failed);
      Object.assign(delivery, failed);
    }
    await this.deliveries.prune(channel.id);
    return delivery;
  }

  /** Queues the job of a logged delivery (again, after an embedded hub restarted); false when the queue refused it. */
  async enqueue(delivery: Pick<NotificationDelivery, 'id' | 'channelId'>): Promise<boolean> {
    const retry = { attempts: this.config.alerts.delivery.attempts, backoffMs: this.config.alerts.delivery.backoffMs };
    const job: AlertDeliveryJob = { deliveryId: delivery.id, maxAttempts: retry.attempts };
    try {
      await this.jobs.enqueue(JobName.ALERT_DELIVER, job, { retry });
      return true;
    } catch (error) {
      this.logger.error({ deliveryId: delivery.id, channelId: delivery.channelId, err: (error as Error).message }, 'alert delivery could not be queued');
      return false;
    }
  }
}

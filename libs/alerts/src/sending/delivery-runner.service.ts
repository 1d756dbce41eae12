import { Inject, Injectable } from '@nestjs/common';
import { DomainError, PINO, type Logger } from '#core';
import { egressModeFor } from '#servers';
import { DeliveryStatus, TEST_EVENT_TYPE } from '../alert-types.js';
import { ChannelSecrets } from '../channels/channel-secrets.js';
import type { NotificationChannel } from '../channels/notification-channel.entity.js';
import type { NotificationDelivery } from '../deliveries/notification-delivery.entity.js';
import { NotificationDeliveriesRepository } from '../deliveries/notification-deliveries.repository.js';
import type { AlertDeliveryJob } from '../dispatch/alert-dispatcher.service.js';
import { WebhookSender, type SendOutcome } from './webhook-sender.js';

/** Thrown to make the job runner try again later (BullMQ or in-process, with the delivery's backoff). */
export class DeliveryRetryError extends Error {
  override readonly name = 'DeliveryRetryError';
}

const FINISHED = new Set([DeliveryStatus.SUCCEEDED, DeliveryStatus.FAILED]);

/** One attempt of one delivery: send, then write the outcome to the delivery log. */
@Injectable()
export class DeliveryRunner {
  constructor(
    private readonly deliveries: NotificationDeliveriesRepository,
    private readonly secrets: ChannelSecrets,
    private readonly sender: WebhookSender,
    @Inject(PINO) private readonly logger: Logger,
  ) {}

  async run(job: AlertDeliveryJob): Promise<void> {
    const delivery = await this.deliveries.findForSending(job.deliveryId);
    // Gone with its channel, or already finished (a job run twice): nothing to do.
    if (!delivery?.channel || FINISHED.has(delivery.status)) return;
    const attempts = delivery.attempts + 1;
    const outcome = await this.attempt(delivery.channel, delivery);
    const final = outcome.ok || outcome.permanent || attempts >= job.maxAttempts;
    const now = new Date();
    await this.deliveries.record(delivery.id, {
      status: outcome.ok ? DeliveryStatus.SUCCEEDED : final ? DeliveryStatus.FAILED : DeliveryStatus.RETRYING,
      attempts,
      responseStatus: outcome.status,
      error: outcome.ok ? null : outcome.error,
      lastAttemptAt: now,
      completedAt: final ? now : null,
    });
    const facts = { deliveryId: delivery.id, channelId: delivery.channelId, event: delivery.eventType, attempts, status: outcome.status };
    if (outcome.ok) {
      this.logger.debug(facts, 'alert delivered');
      return;
    }
    this.logger.warn({ ...facts, error: outcome.error, final }, 'alert delivery failed');
    if (!final) throw new DeliveryRetryError(`alert delivery ${delivery.id} attempt ${attempts} failed: ${outcome.error}`);
  }

  private async attempt(channel: NotificationChannel, delivery: NotificationDelivery): Promise<SendOutcome> {
    if (!channel.enabled && delivery.eventType !== TEST_EVENT_TYPE) {
      return { ok: false, status: null, error: 'the channel was disabled before this delivery was sent', permanent: true };
    }
    let opened: { url: string; secret: string };
    try {
      opened = this.secrets.open(channel);
    } catch (error) {
      return { ok: false, status: null, error: (error as DomainError).message, permanent: true };
    }
    return this.sender.send({ ...opened, format: channel.format, mode: egressModeFor(channel.owner?.role) }, delivery.event, delivery.id);
  }
}

import { Processor } from '@nestjs/bullmq';
import { JobName, JobProcessor, QueueName, type JobHandlers } from '#core';
import type { AlertDeliveryJob } from '../dispatch/alert-dispatcher.service.js';
import { DeliveryRunner } from './delivery-runner.service.js';

/** Deliveries wait on other people's servers (up to ALERT_DELIVERY_TIMEOUT_MS each): several at once per worker. */
export const ALERT_DELIVERY_CONCURRENCY = 10;

@Processor(QueueName.ALERTS, { concurrency: ALERT_DELIVERY_CONCURRENCY })
export class AlertDeliveryProcessor extends JobProcessor {
  constructor(private readonly runner: DeliveryRunner) {
    super();
  }

  readonly handlers: JobHandlers = {
    [JobName.ALERT_DELIVER]: (data: AlertDeliveryJob) => this.runner.run(data),
  };
}

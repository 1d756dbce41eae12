import { Processor } from '@nestjs/bullmq';
import { JobName, JobProcessor, QueueName, type JobHandlers } from '#core';
import { ServerHealthService } from './server-health.service.js';

export interface HealthCheckJob {
  serverId: string;
  replicaId: string;
}

@Processor(QueueName.HEALTH)
export class HealthProcessor extends JobProcessor {
  constructor(private readonly health: ServerHealthService) {
    super();
  }

  readonly handlers: JobHandlers = {
    [JobName.HEALTH_CHECK]: (data: HealthCheckJob, stopping: AbortSignal) => this.health.check(data.serverId, data.replicaId, stopping),
  };
}

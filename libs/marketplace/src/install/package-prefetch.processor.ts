import { Processor } from '@nestjs/bullmq';
import { JobName, JobProcessor, QueueName, type JobHandlers } from '#core';
import { ServerInstallationsService } from './server-installations.service.js';

@Processor(QueueName.MARKETPLACE)
export class PackagePrefetchProcessor extends JobProcessor {
  constructor(private readonly installations: ServerInstallationsService) {
    super();
  }

  readonly handlers: JobHandlers = {
    [JobName.PACKAGE_PREFETCH]: (data: { serverId: string }, stopping) => this.installations.prefetch(data.serverId, stopping),
  };
}

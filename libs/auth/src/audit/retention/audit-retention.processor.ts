import { Processor } from '@nestjs/bullmq';
import { JobName, JobProcessor, QueueName, type JobHandlers } from '#core';
import { AuditRetention } from './audit-retention.service.js';

@Processor(QueueName.AUDIT)
export class AuditRetentionProcessor extends JobProcessor {
  constructor(private readonly retention: AuditRetention) {
    super();
  }

  readonly handlers: JobHandlers = {
    [JobName.AUDIT_RETENTION]: () => this.retention.purge(),
  };
}

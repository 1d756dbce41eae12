import { Processor } from '@nestjs/bullmq';
import { JobName, JobProcessor, QueueName, type JobHandlers } from '#core';
import { CallLogRetention } from './call-log-retention.js';

@Processor(QueueName.CALL_LOG)
export class CallLogProcessor extends JobProcessor {
  constructor(private readonly retention: CallLogRetention) {
    super();
  }

  readonly handlers: JobHandlers = {
    [JobName.CALL_LOG_RETENTION]: () => this.retention.run(),
  };
}

import { Processor } from '@nestjs/bullmq';
import { JobName, JobProcessor, QueueName, type JobHandlers } from '#core';
import { UsageMover } from './usage.mover.js';

@Processor(QueueName.USAGE)
export class UsageProcessor extends JobProcessor {
  constructor(private readonly mover: UsageMover) {
    super();
  }

  readonly handlers: JobHandlers = {
    [JobName.USAGE_MOVE]: () => this.mover.move(),
  };
}

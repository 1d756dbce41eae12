import { Processor } from '@nestjs/bullmq';
import { JobName, QueueName } from '../../jobs/job-names.js';
import { JobProcessor, type JobHandlers } from '../../jobs/job-processor.js';
import { KeyRotationRunner } from './key-rotation.runner.js';

@Processor(QueueName.ENCRYPTION)
export class KeyRotationProcessor extends JobProcessor {
  constructor(private readonly runner: KeyRotationRunner) {
    super();
  }

  readonly handlers: JobHandlers = {
    [JobName.KEY_ROTATION]: (data: { rotationId: string }, stopping) => this.runner.run(data.rotationId, stopping),
  };
}

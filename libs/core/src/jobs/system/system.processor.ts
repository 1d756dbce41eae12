import { Processor } from '@nestjs/bullmq';
import { JobName, QueueName } from '../job-names.js';
import { JobProcessor, type JobHandlers } from '../job-processor.js';
import { WorkerHeartbeat } from './worker-heartbeat.service.js';

@Processor(QueueName.SYSTEM)
export class SystemProcessor extends JobProcessor {
  constructor(private readonly heartbeat: WorkerHeartbeat) {
    super();
  }

  readonly handlers: JobHandlers = {
    [JobName.WORKER_HEARTBEAT]: () => this.heartbeat.beat(),
  };
}

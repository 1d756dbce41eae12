import { describe, expect, it } from '@jest/globals';
import { Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ConfigModule } from '../config/config.module.js';
import { parseConfig } from '../config/hub-config.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { MetricsRegistry } from '../metrics/metrics-registry.js';
import { JobName } from './job-names.js';
import { JobProcessor, type JobHandlers } from './job-processor.js';
import { WaitingError } from 'bullmq';
import { ShuttingDownError, untilAborted } from './shutting-down.js';

@Injectable()
class FlakyProcessor extends JobProcessor {
  calls = 0;
  readonly handlers: JobHandlers = {
    [JobName.HEALTH_CHECK]: async () => {
      if (++this.calls === 1) throw new Error('first attempt fails');
    },
  };
}

/** A job that waits until the process stops. */
@Injectable()
class StoppableProcessor extends JobProcessor {
  readonly handlers: JobHandlers = {
    [JobName.HEALTH_CHECK]: (_data: never, stopping: AbortSignal) => untilAborted(new Promise(() => undefined), stopping),
  };
}

const config = parseConfig({ HUB_ENCRYPTION_KEY: 'a'.repeat(64), JWT_SECRET: 'j'.repeat(40) });

describe(JobProcessor.name, () => {
  it('should count each attempt by queue, job and outcome', async () => {
    const app = await Test.createTestingModule({ imports: [ConfigModule.forRoot(config), MetricsModule], providers: [FlakyProcessor] }).compile();
    const processor = app.get(FlakyProcessor);
    await expect(processor.process({ name: JobName.HEALTH_CHECK, data: {}, attemptsMade: 0 })).rejects.toThrow('first attempt fails');
    await processor.process({ name: JobName.HEALTH_CHECK, data: {}, attemptsMade: 1 });
    const text = await app.get(MetricsRegistry).text();
    expect(text).toContain('mcphub_job_runs_total{queue="health",job="health-check",outcome="failed"} 1');
    expect(text).toContain('mcphub_job_runs_total{queue="health",job="health-check",outcome="completed"} 1');
    expect(text).toContain('mcphub_job_duration_seconds_count{queue="health",job="health-check"} 2');
  });

  it('should still run jobs where no metrics module is loaded', async () => {
    const app = await Test.createTestingModule({ providers: [FlakyProcessor] }).compile();
    const processor = app.get(FlakyProcessor);
    processor.calls = 1;
    await expect(processor.process({ name: JobName.HEALTH_CHECK, data: {}, attemptsMade: 0 })).resolves.toBeUndefined();
  });

  it('should hand a BullMQ job cut short by the shutdown back to the queue, not counted as failed', async () => {
    const app = await Test.createTestingModule({ imports: [ConfigModule.forRoot(config), MetricsModule], providers: [StoppableProcessor] }).compile();
    const processor = app.get(StoppableProcessor);
    const handedBack: (string | undefined)[] = [];
    const job = { name: JobName.HEALTH_CHECK, data: {}, attemptsMade: 0, moveToWait: async (token?: string) => (handedBack.push(token), 0) };
    const running = processor.process(job, 'lock-token');
    processor.onModuleDestroy();
    await expect(running).rejects.toBeInstanceOf(WaitingError);
    expect(handedBack).toEqual(['lock-token']);
    // The in-process runner's jobs have no queue to go back to: the error tells it the process is stopping.
    await expect(processor.process({ name: JobName.HEALTH_CHECK, data: {}, attemptsMade: 0 })).rejects.toBeInstanceOf(ShuttingDownError);
    expect(await app.get(MetricsRegistry).text()).not.toContain('outcome="failed"');
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Test } from '@nestjs/testing';
import type { INestApplicationContext } from '@nestjs/common';
import { ConfigModule, JobName, currentRequest, withRequestContext, JobsModule, JobsService, LoggingModule, RedisModule, SystemProcessorsModule, WorkerHeartbeat } from '#core';
import { testConfig } from '../support/test-config.js';
import { waitFor } from '../support/upstreams.js';

describe('in-process jobs (embedded mode, no Redis)', () => {
  let app: INestApplicationContext;
  beforeAll(async () => {
    const config = testConfig();
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forRoot(config), LoggingModule, RedisModule, JobsModule.forRoot(config, { processes: true, handles: [JobName.WORKER_HEARTBEAT] }), SystemProcessorsModule],
    }).compile();
    app = await moduleRef.init();
  });
  afterAll(() => app?.close());

  it('should run the same processor in this process', async () => {
    const jobs = app.get(JobsService);
    const heartbeat = app.get(WorkerHeartbeat);
    // The schedule's first run is due at boot, as with a BullMQ `every` scheduler.
    const first = await waitFor(() => heartbeat.lastBeat(), 5_000, 'the scheduled heartbeat');
    // Beats are millisecond timestamps and the next scheduled one is 30 s away: a later beat is the enqueued job's.
    await waitFor(() => Date.now() > first, 1_000, 'the clock to pass the first beat');
    await jobs.enqueue(JobName.WORKER_HEARTBEAT);
    const second = await waitFor(async () => {
      const beat = await heartbeat.lastBeat();
      return beat !== null && beat > first ? beat : undefined;
    }, 5_000, 'the enqueued heartbeat');
    expect(second).toBeGreaterThan(first);
  });

  it('should run a job outside the context of the request that enqueued it (its log lines, its audit entry)', async () => {
    const jobs = app.get(JobsService);
    const heartbeat = app.get(WorkerHeartbeat);
    const seen: unknown[] = [];
    const beat = heartbeat.beat.bind(heartbeat);
    heartbeat.beat = async () => {
      seen.push(currentRequest() ?? 'no request');
      return beat();
    };
    try {
      await withRequestContext({ correlationId: 'request-that-enqueued' }, () => jobs.enqueue(JobName.WORKER_HEARTBEAT));
      await waitFor(async () => seen.length > 0 || undefined, 5_000, 'the enqueued heartbeat');
      expect(seen).toEqual(['no request']);
    } finally {
      heartbeat.beat = beat;
    }
  });
});

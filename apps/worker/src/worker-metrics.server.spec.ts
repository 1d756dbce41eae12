import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ConfigModule, LoggingModule, MetricsModule } from '#core';
import { testConfig } from '../../../test/support/test-config.js';
import { REMOTE_STAND_IN, pretendRemotePeers, scrape } from '../../../test/support/metrics-scrape.js';
import { WorkerMetricsServer } from './worker-metrics.server.js';

const TOKEN = 'worker-scrape-token-0123456789';

async function worker(env: Record<string, string>): Promise<{ context: INestApplicationContext; server: WorkerMetricsServer; url: string }> {
  const module = await Test.createTestingModule({ imports: [ConfigModule.forRoot(testConfig(env)), LoggingModule, MetricsModule], providers: [WorkerMetricsServer] }).compile();
  const context = await module.init();
  const server = context.get(WorkerMetricsServer);
  return { context, server, url: `http://127.0.0.1:${server.port}` };
}

describe(WorkerMetricsServer.name, () => {
  const contexts: INestApplicationContext[] = [];
  let withToken: string;
  let loopbackOnly: string;
  let disabled: WorkerMetricsServer;

  beforeAll(async () => {
    const started = await Promise.all([
      worker({ WORKER_METRICS_PORT: '0', METRICS_TOKEN: TOKEN }),
      worker({ WORKER_METRICS_PORT: '0' }),
      worker({ WORKER_METRICS_PORT: '0', METRICS_ENABLED: 'false' }),
    ]);
    contexts.push(...started.map((s) => s.context));
    [withToken, loopbackOnly] = started.map((s) => s.url);
    disabled = started[2].server;
    for (const s of started.slice(0, 2)) pretendRemotePeers(s.server.httpServer!);
  });
  afterAll(() => Promise.all(contexts.map((c) => c.close())));

  it('should serve /metrics with the token and answer 401 without it', async () => {
    const ok = await scrape(withToken, { token: TOKEN });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatch(/^# TYPE mcphub_job_runs_total counter$/m);
    expect((await scrape(withToken)).status).toBe(401);
    expect((await scrape(withToken, { token: `${TOKEN}0` })).status).toBe(401);
  });

  it('should serve only loopback peers without a token, judged by the socket', async () => {
    expect((await scrape(loopbackOnly)).status).toBe(200);
    expect((await scrape(loopbackOnly, { from: REMOTE_STAND_IN })).status).toBe(403);
    expect((await scrape(loopbackOnly, { from: REMOTE_STAND_IN, headers: { 'x-forwarded-for': '127.0.0.1' } })).status).toBe(403);
  });

  it('should answer nothing but GET /metrics', async () => {
    expect((await scrape(withToken, { token: TOKEN }, '/')).status).toBe(404);
    expect((await scrape(withToken, { token: TOKEN }, '/metrics/x')).status).toBe(404);
  });

  it('should not listen at all when metrics are disabled', () => {
    expect(disabled.port).toBeUndefined();
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigModule, MetricsModule } from '#core';
import { testConfig } from '../../../../test/support/test-config.js';
import { REMOTE_STAND_IN, pretendRemotePeers, scrape } from '../../../../test/support/metrics-scrape.js';
import { MetricsController } from './metrics.controller.js';

const TOKEN = 'scrape-token-0123456789abcdef';

/** Just the metrics route, over real HTTP on loopback: the protections of /metrics, configuration by configuration. */
async function metricsApp(env: Record<string, string>): Promise<{ app: INestApplication; url: string }> {
  const module = await Test.createTestingModule({ imports: [ConfigModule.forRoot(testConfig(env)), MetricsModule], controllers: [MetricsController] }).compile();
  const app = module.createNestApplication({ logger: false });
  await app.listen(0, '127.0.0.1');
  pretendRemotePeers(app.getHttpServer() as Server);
  return { app, url: `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}` };
}

describe(MetricsController.name, () => {
  const apps: INestApplication[] = [];
  let withToken: string;
  let loopbackOnly: string;
  let disabled: string;

  beforeAll(async () => {
    const started = await Promise.all([metricsApp({ METRICS_TOKEN: TOKEN }), metricsApp({}), metricsApp({ METRICS_ENABLED: 'false' })]);
    apps.push(...started.map((s) => s.app));
    [withToken, loopbackOnly, disabled] = started.map((s) => s.url);
  });
  afterAll(() => Promise.all(apps.map((a) => a.close())));

  it('should serve Prometheus text with Node default metrics to a scraper with the token', async () => {
    const res = await scrape(withToken, { token: TOKEN });
    expect(res.status).toBe(200);
    expect(res.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.body).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(res.body).toMatch(/^# TYPE mcphub_job_runs_total counter$/m);
  });

  it('should answer 401 without the token or with a wrong one, even from loopback', async () => {
    for (const options of [{}, { token: 'wrong-token-0123456789abcdef' }, { headers: { authorization: TOKEN } }]) {
      const res = await scrape(withToken, options);
      expect(res.status).toBe(401);
      expect(res.body).not.toContain('process_cpu');
    }
    expect((await scrape(withToken, { token: TOKEN, from: REMOTE_STAND_IN })).status).toBe(200);
  });

  it('should serve loopback clients only when no token is configured', async () => {
    expect((await scrape(loopbackOnly)).status).toBe(200);
    const remote = await scrape(loopbackOnly, { from: REMOTE_STAND_IN });
    expect(remote.status).toBe(403);
    expect(remote.body).toMatch(/METRICS_TOKEN/);
  });

  it('should not take X-Forwarded-For as the client address, and refuse what a local proxy forwards', async () => {
    expect((await scrape(loopbackOnly, { from: REMOTE_STAND_IN, headers: { 'x-forwarded-for': '127.0.0.1' } })).status).toBe(403);
    expect((await scrape(loopbackOnly, { headers: { 'x-forwarded-for': '203.0.113.9' } })).status).toBe(403);
    expect((await scrape(loopbackOnly, { headers: { forwarded: 'for=203.0.113.9' } })).status).toBe(403);
  });

  it('should answer 404 when metrics are disabled', async () => {
    const res = await scrape(disabled);
    expect(res.status).toBe(404);
    expect(res.body).not.toContain('process_cpu');
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplicationContext } from '@nestjs/common';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { UsageRecorder } from '#keys';
import { CALL_LOG_PENDING_BYTES_KEY, CALL_LOG_PENDING_MAX_BYTES } from '../../libs/keys/src/usage/redis-usage.sink.js';
import { WorkerMetricsServer } from '../../apps/worker/src/worker-metrics.server.js';
import { GraphQLClient } from '../support/graphql-client.js';
import { createGroup, createKey, registerServer } from '../support/hub-fixtures.js';
import { startHub, type RunningHub } from '../support/hub-app.js';
import { hubTargetRows } from '../support/hub-targets.js';
import { connectSse, connectStreamable } from '../support/mcp-clients.js';
import { exportedNames, sampleSum, scrape } from '../support/metrics-scrape.js';
import { testConfig } from '../support/test-config.js';
import { everythingStdio, waitFor } from '../support/upstreams.js';
import { startWorker } from '../support/worker-app.js';

const TOKEN = 'e2e-metrics-token-0123456789';
const DASHBOARD = new URL('../../docker/grafana/mcp-hub-dashboard.json', import.meta.url);
const everything = { server: 'everything', replica: 'primary' };

/** Every PromQL expression of the dashboard (panels, rows' panels, template variables). */
function dashboardExpressions(): string[] {
  const found: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'expr' && typeof value === 'string') found.push(value);
      else if (key === 'query' && typeof value === 'object' && value && typeof (value as { query?: unknown }).query === 'string') found.push((value as { query: string }).query);
      else walk(value);
    }
  };
  walk(JSON.parse(readFileSync(DASHBOARD, 'utf8')));
  return found;
}

describe.each(hubTargetRows)('metrics of real MCP traffic on %s', (_name, target) => {
  let hub: RunningHub;
  let admin: GraphQLClient;
  let client: Client;
  let serverId: string;
  let worker: INestApplicationContext | undefined;
  const clients: Client[] = [];
  const metrics = async (url = hub.url) => {
    const res = await scrape(url, { token: TOKEN });
    expect(res.status).toBe(200);
    return res.body;
  };

  beforeAll(async () => {
    // A tool label limit of 3 shows the cap with server-everything's tools. Usage is written when a test says so
    // (UsageRecorder.flush), not on a timer, so what the hub holds in memory can be read.
    hub = await startHub(target.database, { ...target.env, METRICS_TOKEN: TOKEN, METRICS_MAX_TOOL_LABELS: '3', USAGE_FLUSH_INTERVAL_MS: '60000' });
    admin = new GraphQLClient(hub.url);
    await admin.login('admin@example.com', 'admin-password-123');
    serverId = (await registerServer(admin, { name: 'Everything', slug: 'everything', transport: 'STDIO', ...everythingStdio() })).id;
    const group = await createGroup(admin, 'obs', [serverId]);
    await admin.data('mutation($i: CreateRoutingRuleInput!){ createRoutingRule(input: $i){ id } }', {
      i: { groupId: group.id, name: 'no env', priority: 1, conditions: { tool: { glob: 'everything__get-env' } }, action: { type: 'DENY', message: 'env is private' } },
    });
    const key = await createKey(admin);
    client = await connectStreamable(hub.url, 'obs', key.secret);
    clients.push(client);
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await worker?.close();
    await hub?.close();
  });

  it('should refuse a scrape without the token', async () => {
    expect((await scrape(hub.url)).status).toBe(401);
    expect((await scrape(hub.url, { token: `${TOKEN}x` })).status).toBe(401);
  });

  it('should count tool calls by group, server, tool and outcome, and time them', async () => {
    for (let i = 0; i < 3; i++) await client.callTool({ name: 'everything__echo', arguments: { message: `m${i}` } });
    expect((await client.callTool({ name: 'everything__get-sum', arguments: { a: 'x' } })).isError).toBe(true);
    await expect(client.callTool({ name: 'everything__get-env', arguments: {} })).rejects.toThrow(/env is private/);

    const text = await metrics();
    const calls = (tool: string, outcome: string) => sampleSum(text, 'mcphub_tool_calls_total', { group: 'obs', server: 'everything', tool, outcome });
    expect(calls('echo', 'ok')).toBe(3);
    expect(calls('get-sum', 'tool_error')).toBe(1);
    expect(calls('get-env', 'denied')).toBe(1);
    const ok = { group: 'obs', server: 'everything', outcome: 'ok' };
    expect(sampleSum(text, 'mcphub_tool_call_duration_seconds_count', ok)).toBe(3);
    expect(sampleSum(text, 'mcphub_tool_call_duration_seconds_bucket', { ...ok, le: '+Inf' })).toBe(3);
    expect(sampleSum(text, 'mcphub_tool_call_duration_seconds_sum', ok)).toBeGreaterThan(0);
    // The histogram has no tool label: its series count does not grow with upstreams' tools.
    expect(text).not.toMatch(/mcphub_tool_call_duration_seconds_count\{[^}]*tool=/);
  });

  it('should fold tool names past METRICS_MAX_TOOL_LABELS into "other"', async () => {
    await client.callTool({ name: 'everything__get-tiny-image', arguments: {} });
    await client.callTool({ name: 'everything__get-resource-links', arguments: {} });
    const text = await metrics();
    expect(sampleSum(text, 'mcphub_tool_calls_total', { group: 'obs', tool: 'other' })).toBe(2);
    expect(text).not.toContain('tool="get-tiny-image"');
    expect(sampleSum(text, 'mcphub_tool_calls_total', { tool: 'echo' })).toBe(3);
  });

  it('should show open sessions per transport, the stdio process and the connected replica', async () => {
    const sse = await connectSse(hub.url, 'obs', (await createKey(admin)).secret);
    let text = await metrics();
    expect(sampleSum(text, 'mcphub_mcp_sessions', { group: 'obs', transport: 'streamable-http' })).toBe(1);
    expect(sampleSum(text, 'mcphub_mcp_sessions', { group: 'obs', transport: 'sse' })).toBe(1);
    expect(sampleSum(text, 'mcphub_stdio_processes', { server: 'everything' })).toBe(1);
    expect(sampleSum(text, 'mcphub_upstream_connected', everything)).toBe(1);
    expect(sampleSum(text, 'mcphub_upstream_circuit_open', everything)).toBe(0);
    await sse.close();
    text = await waitFor(async () => {
      const now = await metrics();
      return sampleSum(now, 'mcphub_mcp_sessions', { transport: 'sse' }) === undefined ? now : undefined;
    }, 10_000, 'the SSE session to leave the gauge');
    expect(sampleSum(text, 'mcphub_mcp_sessions', { transport: 'streamable-http' })).toBe(1);
  });

  it('should count quota refusals by group and window', async () => {
    const limited = await connectStreamable(hub.url, 'obs', (await createKey(admin, { perMinute: 2 })).secret);
    clients.push(limited);
    for (let i = 0; i < 2; i++) await limited.callTool({ name: 'everything__echo', arguments: { message: 'q' } });
    await expect(limited.callTool({ name: 'everything__echo', arguments: { message: 'q' } })).rejects.toThrow(/429|Rate limit/);
    const text = await metrics();
    expect(sampleSum(text, 'mcphub_quota_refusals_total', { group: 'obs', reason: 'per_minute' })).toBe(1);
    // A refused call never reached the router: it is not among the calls.
    expect(sampleSum(text, 'mcphub_tool_calls_total', { tool: 'echo' })).toBe(5);
  });

  it('should count an upstream restart', async () => {
    expect(sampleSum(await metrics(), 'mcphub_upstream_restarts_total', everything)).toBeUndefined();
    await admin.data('mutation($id: ID!){ restartServer(id: $id){ id } }', { id: serverId });
    const text = await metrics();
    expect(sampleSum(text, 'mcphub_upstream_restarts_total', everything)).toBe(1);
    expect(sampleSum(text, 'mcphub_stdio_processes', { server: 'everything' })).toBe(1);
  });

  it('should count job runs and show health status where the jobs run', async () => {
    let url = hub.url;
    if (!target.inProcessJobs) {
      // Redis mode: the worker runs the jobs and serves them on WORKER_METRICS_PORT.
      const config = testConfig({
        DATABASE_URL: hub.config.databaseUrl,
        REDIS_URL: hub.config.redisUrl,
        HUB_ENCRYPTION_KEY: hub.config.encryption.key.toString('base64'),
        JWT_SECRET: hub.config.jwt.secret,
        WORKER_METRICS_PORT: '0',
        METRICS_TOKEN: TOKEN,
      });
      worker = await startWorker(config);
      url = `http://127.0.0.1:${worker.get(WorkerMetricsServer).port}`;
      expect((await scrape(url)).status).toBe(401);
    }
    const text = await waitFor(async () => {
      const now = await metrics(url);
      const healthy = sampleSum(now, 'mcphub_upstream_health_status', { ...everything, status: 'HEALTHY' }) === 1;
      // The gauge may show the last recorded status before this worker's first check has run: wait for the run too.
      const checked = (sampleSum(now, 'mcphub_job_runs_total', { queue: 'health', job: 'health-check', outcome: 'completed' }) ?? 0) >= 1;
      return healthy && checked && (sampleSum(now, 'mcphub_job_runs_total', { queue: 'system', job: 'worker-heartbeat', outcome: 'completed' }) ?? 0) >= 1 ? now : undefined;
    }, 30_000, 'a health check and a heartbeat');
    expect(sampleSum(text, 'mcphub_job_runs_total', { queue: 'health', job: 'health-check', outcome: 'completed' })).toBeGreaterThanOrEqual(1);
    expect(sampleSum(text, 'mcphub_upstream_health_status', { ...everything, status: 'DOWN' })).toBe(0);
    expect(sampleSum(text, 'mcphub_job_duration_seconds_count', { queue: 'health', job: 'health-check' })).toBeGreaterThanOrEqual(1);
  });

  // Last: it adds a call the counts above do not expect.
  it('should show the calls whose usage the hub still holds in memory, until it is written', async () => {
    const recorder = hub.app.get(UsageRecorder);
    await recorder.flush();
    const unwritten = async () => sampleSum(await metrics(), 'mcphub_usage_unwritten_calls');
    expect(await unwritten()).toBe(0);
    // Redis mode: the call log waiting in Redis at its bound (no worker moving it) makes the hub keep calls itself.
    // Embedded mode: every call waits in memory for the next write.
    const redis = hub.config.redisUrl ? new Redis(hub.config.redisUrl) : undefined;
    const held = await redis?.get(CALL_LOG_PENDING_BYTES_KEY);
    try {
      await redis?.set(CALL_LOG_PENDING_BYTES_KEY, CALL_LOG_PENDING_MAX_BYTES);
      expect((await client.callTool({ name: 'everything__echo', arguments: { message: 'held' } })).isError).toBeFalsy();
      expect(await unwritten()).toBe(1);
    } finally {
      await redis?.set(CALL_LOG_PENDING_BYTES_KEY, held ?? '0');
      redis?.disconnect();
    }
    await recorder.flush();
    const text = await metrics();
    expect(sampleSum(text, 'mcphub_usage_unwritten_calls')).toBe(0);
    expect(sampleSum(text, 'mcphub_usage_dropped_calls_total', { record: 'usage' })).toBe(0);
    expect(sampleSum(text, 'mcphub_usage_dropped_calls_total', { record: 'call_log' })).toBe(0);
  });

  it("should include Node's default process metrics", async () => {
    const text = await metrics();
    for (const name of ['process_cpu_user_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds', 'nodejs_heap_size_used_bytes']) {
      expect(sampleSum(text, name)).toBeGreaterThanOrEqual(0);
    }
  });

  it('should use only exported metric names in the Grafana dashboard', async () => {
    const exported = exportedNames(await metrics());
    const expressions = dashboardExpressions();
    expect(expressions.length).toBeGreaterThan(10);
    for (const expr of expressions) {
      const names = [...expr.matchAll(/\b(mcphub_[a-z0-9_]+|process_[a-z0-9_]+|nodejs_[a-z0-9_]+)\b/g)].map((m) => m[1]);
      expect({ expr, names: names.length > 0 }).toEqual({ expr, names: true });
      for (const name of names) expect({ expr, name, exported: exported.has(name) }).toEqual({ expr, name, exported: true });
    }
  });
});

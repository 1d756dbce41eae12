import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplicationContext } from '@nestjs/common';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { HEARTBEAT_SCHEDULER_ID, QueueName, WORKER_HEARTBEAT_STALE_AFTER_MS } from '#core';
import { USAGE_MOVE_SCHEDULER_ID } from '#keys';
import { databaseTargets } from '../support/database-targets.js';
import { GraphQLClient } from '../support/graphql-client.js';
import { createGroup, createKey, registerServer } from '../support/hub-fixtures.js';
import { startHub, type RunningHub } from '../support/hub-app.js';
import { connectStreamable, rawPost } from '../support/mcp-clients.js';
import { startPrivateRedis, type PrivateRedis } from '../support/private-redis.js';
import { everythingStdio, waitFor } from '../support/upstreams.js';
import { testConfig } from '../support/test-config.js';
import { startWorker } from '../support/worker-app.js';

// Real PostgreSQL when TEST_DATABASE_URL is set (production mode is PostgreSQL + Redis); PGlite otherwise.
const target = databaseTargets.find((t) => t.name === 'postgres') ?? databaseTargets[0];
/** Generous: a call that waited for the outage to end would take until afterAll restarts Redis. */
const OUTAGE_CALL_DEADLINE_MS = 5_000;
const HEARTBEAT_KEY = 'mcphub:worker:heartbeat';

interface Deployment {
  hub: RunningHub;
  admin: GraphQLClient;
  key: { id: string; secret: string };
  serverId: string;
}

/** A hub on the private Redis (its own DB index), with one stdio server in group "main" and a key limited to 3/minute. */
async function deploy(redis: PrivateRedis, db: number, env: Record<string, string>): Promise<Deployment> {
  const hub = await startHub(target, { REDIS_URL: redis.url(db), ...env });
  const admin = new GraphQLClient(hub.url);
  await admin.login('admin@example.com', 'admin-password-123');
  const { id: serverId } = await registerServer(admin, { name: 'Everything', slug: 'everything', transport: 'STDIO', ...everythingStdio() });
  await createGroup(admin, 'main', [serverId]);
  const key = await createKey(admin, { perMinute: 3 });
  return { hub, admin, key, serverId };
}

const callBody = (id: number) => JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'everything__echo', arguments: { message: `m${id}` } } });

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await Promise.race([
    work(),
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${OUTAGE_CALL_DEADLINE_MS} ms`)), OUTAGE_CALL_DEADLINE_MS).unref()),
  ]);
  return { value, ms: Math.round(performance.now() - started) };
}

async function ready(hub: RunningHub) {
  const res = await fetch(`${hub.url}/health/ready`);
  return { status: res.status, body: (await res.json()) as { status: string; checks: Record<string, string>; workerHeartbeatAt: string | null } };
}

/** The fixed quota window is UTC-aligned: start a burst well inside a minute so it cannot straddle two. */
const freshMinute = () => waitFor(() => Date.now() % 60_000 < 45_000, 20_000, 'a minute with room for a burst');

describe('Redis outages in production mode (private redis-server, real hub and worker)', () => {
  let redis: PrivateRedis;
  let allow: Deployment;
  let deny: Deployment;
  let worker: INestApplicationContext;
  let queues: Queue[] = [];
  const clients: Client[] = [];
  const figures: Record<string, number[]> = {};
  const note = (what: string, ms: number) => (figures[what] ??= []).push(ms);

  const schedulerIds = async () => {
    const ids = await Promise.all(queues.map((q) => q.getJobSchedulers(0, -1).then((s) => s.map((j) => j.key))));
    return ids.flat();
  };

  beforeAll(async () => {
    redis = await startPrivateRedis();
    [allow, deny] = await Promise.all([
      deploy(redis, 0, { QUOTA_ON_REDIS_FAILURE: 'allow' }),
      // A long command timeout here shows that readiness has its own bound.
      deploy(redis, 1, { QUOTA_ON_REDIS_FAILURE: 'deny', REDIS_COMMAND_TIMEOUT_MS: '3000' }),
    ]);
    // The worker owns the schedules (hub in Redis mode schedules nothing); it shares the "allow" hub's database.
    const config = testConfig({ DATABASE_URL: allow.hub.config.databaseUrl, DATABASE_POOL_SIZE: String(target.poolSize), REDIS_URL: redis.url(0) });
    worker = await startWorker(config);
    queues = [QueueName.SYSTEM, QueueName.HEALTH, QueueName.USAGE].map((name) => new Queue(name, { connection: { url: redis.url(0), maxRetriesPerRequest: null }, prefix: 'mcphub' }));
    queues.forEach((q) => q.on('error', () => undefined));
  }, 120_000);

  afterAll(async () => {
    console.log(`measured (ms): ${JSON.stringify(figures)}`);
    // Shut down against a live Redis (a clean BullMQ close needs one).
    const step = async (what: string, work: () => Promise<unknown>) => {
      const t = Date.now();
      await work();
      if (process.env.DEBUG_OUTAGE) console.log(`${what}: ${Date.now() - t} ms`);
    };
    // Not a fresh restart: BullMQ workers closed while their connections reconnect can wait forever (seen here).
    if (redis) await step('redis', () => redis.ensureUp());
    await step('clients', () => Promise.all(clients.map((c) => c.close().catch(() => undefined))));
    await step('queues', () => Promise.all(queues.map((q) => q.close().catch(() => undefined))));
    await step('worker', async () => worker?.close());
    await step('hubs', () => Promise.all([allow?.hub.close(), deny?.hub.close()]));
    await redis?.kill();
  }, 60_000);

  it('should be ready with Redis up, the worker beating and every schedule in BullMQ', async () => {
    const ids = await waitFor(async () => {
      const found = await schedulerIds();
      return found.includes(HEARTBEAT_SCHEDULER_ID) && found.includes(`health:${allow.serverId}`) ? found : undefined;
    }, 20_000, 'the heartbeat and health-check schedulers');
    expect(ids).toEqual(expect.arrayContaining([HEARTBEAT_SCHEDULER_ID, `health:${allow.serverId}`]));
    const { status, body } = await waitFor(async () => {
      const r = await ready(allow.hub);
      return r.status === 200 ? r : undefined;
    }, 20_000, 'readiness with the first heartbeat');
    expect(status).toBe(200);
    expect(body.checks).toEqual({ database: 'ok', redis: 'ok', workerHeartbeat: 'ok' });
  });

  it('should report a stale worker heartbeat as not ready, naming it', async () => {
    const direct = new Redis(redis.url(1));
    try {
      // The "deny" hub's Redis DB has no worker: no heartbeat at all, then one three intervals old.
      const none = await ready(deny.hub);
      expect(none.status).toBe(503);
      expect(none.body.checks.workerHeartbeat).toMatch(/^stale: no worker heartbeat/);
      await direct.set(HEARTBEAT_KEY, String(Date.now() - WORKER_HEARTBEAT_STALE_AFTER_MS - 5_000));
      const old = await ready(deny.hub);
      expect(old.status).toBe(503);
      expect(old.body.checks).toMatchObject({ database: 'ok', redis: 'ok', workerHeartbeat: expect.stringMatching(/^stale: last worker heartbeat 9\d s ago/) });
      await direct.set(HEARTBEAT_KEY, String(Date.now()));
      expect((await ready(deny.hub)).status).toBe(200);
    } finally {
      direct.disconnect();
    }
  });

  describe('while Redis is down (killed)', () => {
    beforeAll(async () => {
      await freshMinute();
      await redis.kill();
    });

    it('should answer readiness 503 naming Redis within 1 s', async () => {
      for (const hub of [allow.hub, deny.hub]) {
        const { value, ms } = await timed(() => ready(hub));
        note('ready503 killed', ms);
        expect(value.status).toBe(503);
        expect(value.body.checks.redis).toMatch(/^down: /);
        expect(value.body.checks.database).toBe('ok');
        expect(ms).toBeLessThan(1_500);
      }
    });

    it('allow: should serve quota-limited calls from the local limit, then refuse past perMinute', async () => {
      // Sessions opened during the outage work too: nothing but tools/call touches Redis.
      const client = await connectStreamable(allow.hub.url, 'main', allow.key.secret);
      clients.push(client);
      for (let i = 0; i < 3; i++) {
        const { value, ms } = await timed(() => client.callTool({ name: 'everything__echo', arguments: { message: `during outage ${i}` } }));
        note('allow call killed', ms);
        expect(JSON.stringify(value.content)).toContain(`during outage ${i}`);
      }
      const sessionId = (client.transport as { sessionId?: string }).sessionId!;
      const { value: over, ms } = await timed(() => rawPost(`${allow.hub.url}/mcp/main`, callBody(4), { authorization: `Bearer ${allow.key.secret}`, 'mcp-session-id': sessionId }));
      note('allow refused killed', ms);
      expect(over.status).toBe(429);
      expect(over.json?.error).toMatchObject({ code: -32029, message: expect.stringMatching(/3 tool calls per minute/) });
    });

    it('deny: should refuse quota-limited calls at once with a clear error and 503', async () => {
      const client = await connectStreamable(deny.hub.url, 'main', deny.key.secret);
      clients.push(client);
      const sessionId = (client.transport as { sessionId?: string }).sessionId!;
      const { value, ms } = await timed(() => rawPost(`${deny.hub.url}/mcp/main`, callBody(1), { authorization: `Bearer ${deny.key.secret}`, 'mcp-session-id': sessionId }));
      note('deny call killed', ms);
      expect(value.status).toBe(503);
      expect(Number(value.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(value.json?.error).toMatchObject({ code: -32030, message: expect.stringMatching(/^Quota store unavailable/) });
    });
  });

  describe('after Redis restarts empty', () => {
    it('should get every schedule back from the worker and be ready again once it beats', async () => {
      const restartedAt = Date.now();
      await redis.start();
      const expected = [HEARTBEAT_SCHEDULER_ID, `health:${allow.serverId}`, USAGE_MOVE_SCHEDULER_ID];
      const ids = await waitFor(async () => {
        const found = await schedulerIds();
        return expected.every((id) => found.includes(id)) ? found : undefined;
      }, 20_000, 'the schedulers re-created after the restart');
      expect(ids).toEqual(expect.arrayContaining(expected));
      const back = await waitFor(async () => {
        const r = await ready(allow.hub);
        return r.status === 200 ? r : undefined;
      }, 20_000, 'readiness after the restart');
      expect(back.body.checks).toEqual({ database: 'ok', redis: 'ok', workerHeartbeat: 'ok' });
      expect(Date.parse(back.body.workerHeartbeatAt!)).toBeGreaterThanOrEqual(restartedAt);
    });
  });

  it('should also restore, on its timer, a schedule lost without any reconnect', async () => {
    // A second worker with a short reconcile period; the first one's 60 s timer will not fire during this test.
    const config = testConfig({ DATABASE_URL: allow.hub.config.databaseUrl, DATABASE_POOL_SIZE: String(target.poolSize), REDIS_URL: redis.url(0) });
    const fast = await startWorker(config, { reconcileEveryMs: 500 });
    try {
      await queues[0].removeJobScheduler(HEARTBEAT_SCHEDULER_ID);
      await queues[1].removeJobScheduler(`health:${allow.serverId}`);
      expect(await schedulerIds()).not.toContain(HEARTBEAT_SCHEDULER_ID);
      const ids = await waitFor(async () => {
        const found = await schedulerIds();
        return found.includes(HEARTBEAT_SCHEDULER_ID) && found.includes(`health:${allow.serverId}`) ? found : undefined;
      }, 10_000, 'the schedulers restored by the periodic reconcile');
      expect(ids).toEqual(expect.arrayContaining([HEARTBEAT_SCHEDULER_ID, `health:${allow.serverId}`]));
    } finally {
      await fast.close();
    }
  });

  describe('while Redis is stalled (SIGSTOP: connected, never answers)', () => {
    let fresh: { id: string; secret: string };
    beforeAll(async () => {
      fresh = await createKey(allow.admin, { perMinute: 3 });
      await freshMinute();
      redis.stall();
    });
    afterAll(() => redis.resume());

    it('should answer readiness 503 within 1 s even with a 3 s command timeout', async () => {
      const { value, ms } = await timed(() => ready(deny.hub));
      note('ready503 stalled', ms);
      expect(value.status).toBe(503);
      expect(value.body.checks.redis).toMatch(/^down: no answer within \d+ ms/);
      expect(ms).toBeLessThan(1_500);
    });

    it('allow: should serve a quota-limited call once the command timeout gives up on Redis', async () => {
      const client = await connectStreamable(allow.hub.url, 'main', fresh.secret);
      clients.push(client);
      const { value, ms } = await timed(() => client.callTool({ name: 'everything__echo', arguments: { message: 'stalled' } }));
      note('allow call stalled', ms);
      expect(JSON.stringify(value.content)).toContain('stalled');
    });
  });
});

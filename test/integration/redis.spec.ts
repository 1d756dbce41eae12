import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Test } from '@nestjs/testing';
import type { INestApplicationContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { ConfigChangeBus, JobName, JobsService, WorkerHeartbeat, dataSourceOptions, type ConfigChange } from '#core';
import { QuotaService } from '#keys';
import { HubHealthReports, ServersService } from '#servers';
import { AlertOnce } from '../../libs/alerts/src/dispatch/alert-once.js';
import { WorkerModule } from '../../apps/worker/src/worker.module.js';
import { databaseTargets, redisUrl } from '../support/database-targets.js';
import { testConfig } from '../support/test-config.js';
import { startEverythingHttp, waitFor } from '../support/upstreams.js';

// Real Redis only (BullMQ's Lua scripts do not run on mocks). .ci/run sets TEST_REDIS_URL.
const describeRedis = redisUrl ? describe : describe.skip;

describeRedis('with real Redis', () => {
  let redis: Redis;
  beforeAll(async () => {
    redis = new Redis(redisUrl!);
    await redis.flushdb();
  });
  afterAll(async () => {
    await redis?.quit();
  });

  // An injected clock, halfway through the current minute: counts never straddle a window boundary, whatever the
  // wall clock does while the spec runs, and the keys still expire within a minute.
  const now = Math.floor(Date.now() / 60_000) * 60_000 + 30_000;
  const keyId = (name: string) => `${name}-${randomUUID()}`;

  it("should combine the hubs' health reports of a stdio replica: the worst wins, stale and withdrawn ones do not count", async () => {
    const reports = new HubHealthReports(redis);
    const replica = randomUUID();
    const t = Date.now();
    expect(await reports.fresh(replica, 10_000, t)).toBeNull();
    await reports.publish(replica, 'hub-a', { ok: true, latencyMs: 4, at: t - 1_000 }, 30_000);
    await reports.publish(replica, 'hub-b', { ok: true, latencyMs: 9, at: t - 2_000 }, 30_000);
    expect(await reports.fresh(replica, 10_000, t)).toEqual({ ok: true, latencyMs: 9, hubs: 2 });
    await reports.publish(replica, 'hub-c', { ok: false, error: 'the process ended (exit 1)', at: t - 500 }, 30_000);
    expect(await reports.fresh(replica, 10_000, t)).toEqual({ ok: false, error: 'the process ended (exit 1) (down on 1 of 3 hubs)', hubs: 3 });
    // Hubs that stopped reporting (they died) no longer speak for the replica; one that closed its process withdrew.
    await reports.publish(replica, 'hub-a', { ok: true, latencyMs: 4, at: t + 5_000 }, 30_000);
    expect(await reports.fresh(replica, 10_000, t + 9_700)).toEqual({ ok: true, latencyMs: 4, hubs: 1 });
    await reports.withdraw(replica, 'hub-a');
    expect(await reports.fresh(replica, 10_000, t + 9_700)).toBeNull();
    expect(await redis.pttl(`mcphub:health:hub:${replica}`)).toBeGreaterThan(20_000);
  });

  it('should count quotas exactly under 200 concurrent charges', async () => {
    const quotas = new QuotaService(redis);
    const id = keyId('key-200');
    const decisions = await Promise.all(Array.from({ length: 200 }, () => quotas.charge(id, { perMinute: 137, perDay: 1000 }, now)));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(137);
    const refused = decisions.find((d) => !d.allowed);
    expect(refused).toMatchObject({ window: 'minute', limit: 137, retryAfterSeconds: 30 });
  });

  it('should open a new minute window at the boundary and keep counting the day across it', async () => {
    const quotas = new QuotaService(redis);
    const id = keyId('key-boundary');
    const limits = { perMinute: 2, perDay: 3 };
    expect((await quotas.charge(id, limits, now)).allowed).toBe(true);
    expect((await quotas.charge(id, limits, now + 29_999)).allowed).toBe(true);
    expect(await quotas.charge(id, limits, now + 29_999)).toMatchObject({ allowed: false, window: 'minute' });
    expect((await quotas.charge(id, limits, now + 30_000)).allowed).toBe(true);
    expect(await quotas.charge(id, limits, now + 30_001)).toMatchObject({ allowed: false, window: 'day' });
  });

  it('should share the quota between hub replicas (two clients, one count)', async () => {
    const other = new Redis(redisUrl!);
    const [a, b] = [new QuotaService(redis), new QuotaService(other)];
    const id = keyId('key-shared');
    const decisions = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).charge(id, { perMinute: null, perDay: 25 }, now)));
    await other.quit();
    expect(decisions.filter((d) => d.allowed)).toHaveLength(25);
  });

  describe('worker process (BullMQ)', () => {
    let worker: INestApplicationContext;
    let db: { url: string; dispose(): Promise<void> };

    beforeAll(async () => {
      const target = databaseTargets[databaseTargets.length - 1];
      db = await target.create();
      // The hub owns migrations; the worker expects them applied.
      const migrator = await new DataSource(dataSourceOptions(db.url, target.poolSize)).initialize();
      await migrator.runMigrations();
      await migrator.destroy();
      const config = testConfig({ DATABASE_URL: db.url, DATABASE_POOL_SIZE: String(target.poolSize), REDIS_URL: redisUrl });
      const moduleRef = await Test.createTestingModule({ imports: [WorkerModule.forRoot(config)] }).compile();
      worker = await moduleRef.init();
    });
    afterAll(async () => {
      await worker?.close();
      await db?.dispose();
    });

    it('should run a queued job in the worker and record its effect in Redis', async () => {
      await redis.del('mcphub:worker:heartbeat');
      await worker.get(JobsService).enqueue(JobName.WORKER_HEARTBEAT);
      const beat = await waitFor(() => worker.get(WorkerHeartbeat).lastBeat(), 10_000, 'the heartbeat job');
      expect(beat).toBeGreaterThan(Date.now() - 60_000);
    });

    it('should schedule a health check per replica and record it from the worker', async () => {
      const upstream = await startEverythingHttp('streamableHttp');
      try {
        const dataSource = worker.get(DataSource);
        const [owner] = await dataSource.query(`INSERT INTO users (email, role) VALUES ('worker-owner@example.com', 'ADMIN') RETURNING id`);
        const [server] = await dataSource.query(
          `INSERT INTO mcp_servers (name, slug, owner_id, health_check_interval_seconds) VALUES ('remote', 'remote', $1, 5) RETURNING id`,
          [owner.id],
        );
        await dataSource.query(`INSERT INTO server_endpoints (id, server_id, "primary", name, transport, url) VALUES ($1, $1, true, 'primary', 'STREAMABLE_HTTP', $2)`, [server.id, upstream.url]);
        // What the hub does after saving a server: announce it; the worker's scheduler follows.
        await worker.get(ConfigChangeBus).publish({ kind: 'server', id: server.id });
        const schedulers = await waitFor(
          async () => {
            const found = (await redis.zrange('mcphub:health:repeat', 0, -1)).filter((id) => id === `health:${server.id}`);
            return found.length ? found : undefined;
          },
          10_000,
          'the health scheduler',
        );
        expect(schedulers).toHaveLength(1);
        const [check] = await waitFor(
          () => dataSource.query('SELECT status, latency_ms FROM server_health_checks WHERE replica_id = $1', [server.id]).then((rows: unknown[]) => (rows.length ? rows : undefined)),
          20_000,
          'a recorded health check',
        );
        expect(check).toMatchObject({ status: 'HEALTHY', latency_ms: expect.any(Number) });
      } finally {
        await upstream.stop();
      }
    });

    it("should follow one server's change alone: its schedule goes with it, the others' stay, and no other server is read", async () => {
      const dataSource = worker.get(DataSource);
      const [owner] = await dataSource.query(`INSERT INTO users (email, role) VALUES ('schedule-owner@example.com', 'ADMIN') RETURNING id`);
      const ids: string[] = [];
      for (const slug of ['kept', 'removed']) {
        const [server] = await dataSource.query(`INSERT INTO mcp_servers (name, slug, owner_id, health_check_interval_seconds) VALUES ($1, $1, $2, 300) RETURNING id`, [slug, owner.id]);
        await dataSource.query(`INSERT INTO server_endpoints (id, server_id, "primary", name, transport, url) VALUES ($1, $1, true, 'primary', 'STREAMABLE_HTTP', 'http://127.0.0.1:1/mcp')`, [server.id]);
        await worker.get(ConfigChangeBus).publish({ kind: 'server', id: server.id });
        ids.push(server.id);
      }
      const scheduled = async () => new Set(await redis.zrange('mcphub:health:repeat', 0, -1));
      const hasBoth = async () => {
        const found = await scheduled();
        return ids.every((id) => found.has(`health:${id}`));
      };
      await waitFor(hasBoth, 10_000, 'both schedules');
      const servers = worker.get(ServersService);
      const resolveAll = servers.resolveAll.bind(servers);
      let wholeReads = 0;
      servers.resolveAll = () => (wholeReads++, resolveAll());
      try {
        await dataSource.query('DELETE FROM mcp_servers WHERE id = $1', [ids[1]]);
        await worker.get(ConfigChangeBus).publish({ kind: 'server', id: ids[1] });
        await waitFor(async () => !(await scheduled()).has(`health:${ids[1]}`), 10_000, "the removed server's schedule to go");
        expect((await scheduled()).has(`health:${ids[0]}`)).toBe(true);
        expect(wholeReads).toBe(0);
      } finally {
        servers.resolveAll = resolveAll;
      }
    });

    it('should keep one scheduler per stable id (upsertJobScheduler)', async () => {
      const jobs = worker.get(JobsService);
      await jobs.schedule('test:scheduler', JobName.WORKER_HEARTBEAT, 60_000);
      await jobs.schedule('test:scheduler', JobName.WORKER_HEARTBEAT, 30_000);
      const keys = await redis.keys('mcphub:system:repeat:test:scheduler*');
      expect(keys.length).toBeGreaterThanOrEqual(1);
      const schedulers = await redis.zrange('mcphub:system:repeat', 0, -1);
      expect(schedulers.filter((id) => id === 'test:scheduler')).toHaveLength(1);
      await jobs.unschedule('test:scheduler', JobName.WORKER_HEARTBEAT);
      expect((await redis.zrange('mcphub:system:repeat', 0, -1)).includes('test:scheduler')).toBe(false);
    });
  });

  it('should announce each quota level once per window across hub replicas sharing the count', async () => {
    const other = new Redis(redisUrl!);
    const heard: ConfigChange[] = [];
    const bus = { publish: async (change: ConfigChange) => void heard.push(change) } as unknown as ConfigChangeBus;
    const config = testConfig({ ALERT_QUOTA_NEAR_PERCENT: '80' });
    const [a, b] = [new QuotaService(redis, config, undefined, bus), new QuotaService(other, config, undefined, bus)];
    const id = keyId('key-levels');
    const decisions = await Promise.all(Array.from({ length: 60 }, (_, i) => (i % 2 ? a : b).charge(id, { perMinute: null, perDay: 40 }, now)));
    await other.quit();
    expect(decisions.filter((d) => d.allowed)).toHaveLength(40);
    // "used" is the units leased when the level was passed: NEAR on the lease that passed 32, EXCEEDED at the limit.
    const levels = heard.map((c) => [c.detail?.level, c.detail?.used] as [string, number]).sort();
    expect(levels).toEqual([
      ['EXCEEDED', 40],
      ['NEAR', expect.any(Number)],
    ]);
    expect(levels[1][1]).toBeGreaterThanOrEqual(32);
    expect(levels[1][1]).toBeLessThan(40);
  });

  it('should let one process claim an alert across processes (SET NX with expiry)', async () => {
    const other = new Redis(redisUrl!);
    const key = keyId('upstream');
    const claims = await Promise.all(Array.from({ length: 10 }, (_, i) => new AlertOnce(i % 2 ? redis : other).claim(key, 60_000)));
    await other.quit();
    expect(claims.filter(Boolean)).toHaveLength(1);
  });

  it('should carry config changes to other hub replicas over pub/sub, marked as from elsewhere', async () => {
    const [one, two] = [new ConfigChangeBus(new Redis(redisUrl!)), new ConfigChangeBus(new Redis(redisUrl!))];
    await Promise.all([one.onModuleInit(), two.onModuleInit()]);
    const heard: ConfigChange[] = [];
    const origins: string[] = [];
    // Other hubs on this database (an earlier spec's, not yet stopped) may publish on the channel too.
    const id = randomUUID();
    two.subscribe((c, origin) => {
      if (c.id !== id) return;
      heard.push(c);
      origins.push(origin);
    });
    one.subscribe((c, origin) => c.id === id && origins.push(`publisher:${origin}`));
    await one.publish({ kind: 'api-key', id });
    await waitFor(() => heard.length === 1, 5_000, 'the change on the other replica');
    expect(heard).toEqual([{ kind: 'api-key', id }]);
    expect(origins.sort()).toEqual(['publisher:local', 'remote']);
    await Promise.all([one.onApplicationShutdown(), two.onApplicationShutdown()]);
    await Promise.all([(one as unknown as { redis: Redis }).redis.quit(), (two as unknown as { redis: Redis }).redis.quit()]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { createLogger, createRedis, dataSourceOptions } from '#core';
import { CallOutcome, type CallLogEntry } from '#keys';
import {
  CALL_LOG_PENDING_BYTES_KEY,
  CALL_LOG_PENDING_KEY,
  CALL_LOG_PENDING_MAX_BYTES,
  RedisUsageSink,
  USAGE_PENDING_KEY,
} from '../../libs/keys/src/usage/redis-usage.sink.js';
import { USAGE_BATCHES_KEY, UsageMover } from '../../libs/keys/src/usage/usage.mover.js';
import { databaseTargets, redisUrl } from '../support/database-targets.js';
import { startPrivateRedis, type PrivateRedis } from '../support/private-redis.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { waitFor } from '../support/upstreams.js';

const postgres = databaseTargets.find((t) => t.name === 'postgres');
const describeReal = postgres && redisUrl ? describe : describe.skip;
const logger = createLogger('silent');

describeReal('usage in Redis mode (real Redis and PostgreSQL)', () => {
  let redis: Redis;
  let db: { url: string; dispose(): Promise<void> };
  let dataSource: DataSource;
  let keyId: string;
  const serverId = randomUUID();
  const call = (tool: string) => ({ keyId, serverId, serverSlug: 'everything', tool, ok: true, latencyMs: 3 });
  let userId: string;
  const entry = (name: string): CallLogEntry => ({
    at: Date.now(), keyId, userId, groupId: null, serverId, replicaId: null, method: 'tools/call', name, outcome: CallOutcome.OK,
    latencyMs: 3, error: null, correlationId: 'req-12345678', arguments: null, result: null,
  });
  const logged = async (name: string): Promise<number> => (await dataSource.query(`SELECT count(*)::int AS n FROM call_log WHERE name = $1`, [name]))[0].n;
  const pendingEntries = async (name: string): Promise<number> =>
    (await redis.lrange(CALL_LOG_PENDING_KEY, 0, -1)).filter((json) => (JSON.parse(json) as CallLogEntry).name === name).length;
  const recorded = async (tool: string): Promise<number> =>
    (await dataSource.query(`SELECT coalesce(sum(calls), 0)::int AS n FROM usage_hourly WHERE key_id = $1 AND tool = $2`, [keyId, tool]))[0].n;
  const pendingCalls = async (tool: string): Promise<number> => {
    const hash = await redis.hgetall(USAGE_PENDING_KEY);
    return Object.entries(hash).filter(([f]) => f.startsWith('c|') && f.endsWith(`|${tool}`)).reduce((n, [, v]) => n + Number(v), 0);
  };

  beforeAll(async () => {
    redis = new Redis(redisUrl!);
    await redis.flushdb();
    db = await postgres!.create();
    dataSource = await new DataSource(dataSourceOptions(db.url, 4)).initialize();
    await dataSource.runMigrations();
    const [user] = await dataSource.query(`INSERT INTO users (email, role) VALUES ('usage@example.com', 'ADMIN') RETURNING id`);
    const [key] = await dataSource.query(`INSERT INTO api_keys (public_id, secret_hash, name, user_id) VALUES ('usagetest', '\\x00', 'usage', $1) RETURNING id`, [user.id]);
    keyId = key.id;
    userId = user.id;
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await redis?.quit();
    await db?.dispose();
  });

  describe(RedisUsageSink.name, () => {
    let proxy: TcpProxy;
    let client: Redis;
    beforeAll(async () => {
      const u = new URL(redisUrl!);
      proxy = await startTcpProxy(u.hostname, Number(u.port || 6379));
      // The hub's own client options: commands time out and fail at once while disconnected, but a command whose
      // reply was lost may still have landed.
      client = createRedis(proxy.url(redisUrl!));
      await reconnected();
    });
    /** The client refuses commands until it has reconnected (no offline queue). */
    const reconnected = () => waitFor(() => client.ping().then((r) => r === 'PONG', () => false), 10_000, 'the Redis client to reconnect');
    afterAll(async () => {
      client?.disconnect();
      await proxy?.close();
    });

    it('should keep calls locally while Redis is unreachable and count each exactly once when it is back', async () => {
      const sink = new RedisUsageSink(client, logger, 60_000);
      await sink.record(call('outage'), entry('outage'));
      proxy.cut();
      for (let i = 0; i < 5; i++) await sink.record(call('outage'), entry('outage'));
      await sink.record(null, entry('outage')); // a refusal: an entry without usage
      expect(sink.localCalls).toBe(6);
      proxy.restore();
      await reconnected();
      await sink.flush();
      expect(sink.localCalls).toBe(0);
      expect(await pendingCalls('outage')).toBe(6);
      expect(await pendingEntries('outage')).toBe(7);
      expect(sink.droppedCalls).toBe(0);
    });

    it('should keep calls locally while the call log waiting in Redis is at its byte bound', async () => {
      const sink = new RedisUsageSink(client, logger, 60_000);
      const held = await redis.get(CALL_LOG_PENDING_BYTES_KEY);
      await redis.set(CALL_LOG_PENDING_BYTES_KEY, CALL_LOG_PENDING_MAX_BYTES);
      await sink.record(call('log-bound'), entry('log-bound'));
      expect(sink.localCalls).toBe(1);
      expect(await pendingCalls('log-bound')).toBe(0); // usage waits with its entry: one step, all or nothing
      await redis.set(CALL_LOG_PENDING_BYTES_KEY, held ?? '0');
      await sink.flush();
      expect(sink.localCalls).toBe(0);
      expect(await pendingCalls('log-bound')).toBe(1);
      expect(await pendingEntries('log-bound')).toBe(1);
    });

    it('should bound the call-log bytes it keeps locally', async () => {
      const one = JSON.stringify(entry('local-bound')).length;
      const sink = new RedisUsageSink(client, logger, 60_000, 100, one * 2);
      proxy.cut();
      for (let i = 0; i < 3; i++) await sink.record(call('local-bound'), entry('local-bound'));
      expect(sink.localCalls).toBe(2);
      expect(sink.droppedCalls).toBe(1);
      proxy.restore();
      await reconnected();
      await sink.stop();
      expect(await pendingEntries('local-bound')).toBe(2);
    });

    it('should drop and count calls past its local bound', async () => {
      const sink = new RedisUsageSink(client, logger, 60_000, 2);
      proxy.cut();
      for (let i = 0; i < 3; i++) await sink.record(call('bound'));
      expect(sink.localCalls).toBe(2);
      expect(sink.droppedCalls).toBe(1);
      proxy.restore();
      await reconnected();
      await sink.stop();
      expect(await pendingCalls('bound')).toBe(2);
    });
  });

  describe('batches, on a redis-server of its own (its command counts and stalls are the spec\'s alone)', () => {
    let server: PrivateRedis;
    let admin: Redis;
    let client: Redis;
    /** EVAL or EVALSHA: ioredis sends the script's text until it knows the server has it. */
    const scriptRuns = async () => [...(await admin.info('commandstats')).matchAll(/cmdstat_eval(?:sha)?:calls=(\d+)/g)].reduce((n, [, calls]) => n + Number(calls), 0);
    const field = async (prefix: string, tool: string) => Number((await admin.hget(USAGE_PENDING_KEY, `${prefix}|${keyId}|${serverId}|${Math.floor(Date.now() / 3_600_000) * 3_600_000}|${tool}`)) ?? 0);
    beforeAll(async () => {
      server = await startPrivateRedis();
      admin = new Redis(server.url());
      client = createRedis(server.url(), 150);
    });
    afterAll(async () => {
      client?.disconnect();
      admin?.disconnect();
      await server?.kill();
    });

    it('should record the calls that end in one turn in one script run, summed per usage row', async () => {
      const sink = new RedisUsageSink(client, logger, 60_000);
      const before = await scriptRuns();
      await Promise.all([
        sink.record({ ...call('batched'), latencyMs: 2 }, entry('batched')),
        sink.record({ ...call('batched'), latencyMs: 9, ok: false }, entry('batched')),
        sink.record({ ...call('batched'), latencyMs: 4 }, entry('batched')),
        sink.record(null, entry('refused')),
      ]);
      expect(await scriptRuns()).toBe(before + 1);
      expect(await field('c', 'batched')).toBe(3);
      expect(await field('e', 'batched')).toBe(1);
      expect(await field('l', 'batched')).toBe(15);
      expect(await field('m', 'batched')).toBe(9);
      const queued = (await admin.lrange(CALL_LOG_PENDING_KEY, 0, -1)).map((json) => (JSON.parse(json) as CallLogEntry).name);
      expect(queued).toEqual(['batched', 'batched', 'batched', 'refused']);
      expect(Number(await admin.get(CALL_LOG_PENDING_BYTES_KEY))).toBe(JSON.stringify(entry('batched')).length * 3 + JSON.stringify(entry('refused')).length);
    });

    it('should count a batch once when its reply was lost but it landed, and it is retried', async () => {
      const sink = new RedisUsageSink(client, logger, 60_000);
      server.stall(); // the command reaches the server's socket; no reply comes within the client's 150 ms
      await sink.record(call('lost-reply'), entry('lost-reply'));
      expect(sink.localCalls).toBe(1);
      server.resume(); // ...then it runs
      await waitFor(async () => (await field('c', 'lost-reply')) === 1, 5_000, 'the stalled batch to land');
      await sink.flush();
      expect(sink.localCalls).toBe(0);
      expect(await field('c', 'lost-reply')).toBe(1);
      const queued = (await admin.lrange(CALL_LOG_PENDING_KEY, 0, -1)).filter((json) => (JSON.parse(json) as CallLogEntry).name === 'lost-reply');
      expect(queued).toHaveLength(1);
    });
  });

  describe(UsageMover.name, () => {
    it('should move a batch once even when it is still in Redis after its commit (mover died before deleting it)', async () => {
      await new UsageMover(dataSource, redis, logger).move(); // what earlier specs left waiting
      const sink = new RedisUsageSink(redis, logger, 60_000);
      for (let i = 0; i < 7; i++) await sink.record(call('once'), entry('once'));
      const pending = await redis.hgetall(USAGE_PENDING_KEY);
      const pendingLog = await redis.lrange(CALL_LOG_PENDING_KEY, 0, -1);
      const mover = new UsageMover(dataSource, redis, logger);
      // Cut PostgreSQL off so the batch is claimed but left in Redis: its id and contents are what a crash leaves.
      const broken = new UsageMover(await new DataSource(dataSourceOptions('postgres://postgres@127.0.0.1:1/none', 1)), redis, logger);
      await expect(broken.move()).rejects.toThrow();
      const [batchId] = await redis.zrange(USAGE_BATCHES_KEY, 0, -1);
      expect(batchId).toBeDefined();
      expect(await recorded('once')).toBe(0);

      expect(await logged('once')).toBe(0);

      expect(await mover.move()).toMatchObject({ batches: 1, entries: 7 });
      expect(await recorded('once')).toBe(7);
      expect(await logged('once')).toBe(7);
      expect(await redis.exists(CALL_LOG_PENDING_KEY, CALL_LOG_PENDING_BYTES_KEY)).toBe(0);
      // The state of a mover killed between its commit and its DEL: the batch is back in Redis.
      await redis.hset(`mcphub:usage:batch:${batchId}`, pending);
      await redis.rpush(`mcphub:calllog:batch:${batchId}`, ...pendingLog);
      await redis.zadd(USAGE_BATCHES_KEY, Date.now(), batchId);
      await mover.move();
      expect(await recorded('once')).toBe(7);
      expect(await logged('once')).toBe(7);
      expect(await redis.exists(`mcphub:calllog:batch:${batchId}`)).toBe(0);
      expect(await redis.zcard(USAGE_BATCHES_KEY)).toBe(0);
    });
  });
});

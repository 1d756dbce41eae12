import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { createRedis, type HubConfig } from '#core';
import { QuotaService, type QuotaDecision } from '#keys';
import { LEASE } from '../../libs/keys/src/quota/quota-lease.js';
import { quotaWindows } from '../../libs/keys/src/quota/quota-windows.js';
import { redisUrl } from '../support/database-targets.js';

// Quota leasing against a real Redis (.ci/run sets TEST_REDIS_URL): the hub takes blocks of units, not one per call.
const describeRedis = redisUrl ? describe : describe.skip;

describeRedis('quota leases on real Redis', () => {
  let redis: Redis;
  const opened: Redis[] = [];
  /** A fail-fast client like the hub's own (no offline queue): once disconnected, every command fails at once. */
  const client = async () => {
    const c = createRedis(redisUrl!);
    opened.push(c);
    await new Promise((resolve) => c.once('ready', resolve));
    return c;
  };
  /** Cuts a hub's connection for good (no reconnect): the quota store is gone for that hub. */
  const cut = async (c: Redis) => {
    const ended = new Promise((resolve) => c.once('end', resolve));
    c.disconnect();
    await ended;
  };
  beforeAll(() => void (redis = new Redis(redisUrl!)));
  afterAll(async () => {
    await Promise.all(opened.filter((c) => c.status === 'ready').map((c) => c.quit()));
    await redis?.quit();
  });

  // Halfway through the current minute (injected clock): counts never straddle a boundary by accident.
  const now = Math.floor(Date.now() / 60_000) * 60_000 + 30_000;
  const keyId = (name: string) => `${name}-${randomUUID()}`;
  const count = async (key: string) => Number((await redis.get(key)) ?? 0);
  const allowed = (decisions: QuotaDecision[]) => decisions.filter((d) => d.allowed).length;

  /** Lease scripts this spec's Redis database ran, seen by MONITOR (other databases of a shared server excluded). */
  async function countLeases<T>(work: () => Promise<T>): Promise<{ value: T; leases: number }> {
    const db = Number(new URL(redisUrl!).pathname.slice(1) || 0);
    const watcher = new Redis(redisUrl!);
    const monitor = await watcher.monitor();
    let leases = 0;
    monitor.on('monitor', (_time: string, args: string[], _source: string, database: string) => {
      if (Number(database) === db && /^eval/i.test(args[0]) && args.some((a) => a.startsWith('mcphub:quota:'))) leases++;
    });
    try {
      const value = await work();
      await redis.ping(); // MONITOR has relayed everything sent before this round trip
      return { value, leases };
    } finally {
      monitor.disconnect();
      await watcher.quit();
    }
  }

  it('should admit a burst from leases growing to maxBlock, with a Redis round trip per block, not per call', async () => {
    const quotas = new QuotaService(await client());
    const id = keyId('burst');
    const { value: decisions, leases } = await countLeases(async () => {
      const out: QuotaDecision[] = [];
      for (let i = 0; i < 300; i++) out.push(await quotas.charge(id, { perMinute: 100_000, perDay: null }, now));
      return out;
    });
    expect(allowed(decisions)).toBe(300);
    // 1 + 2 + 4 + 8 + 16 = 31 units in 5 leases, then blocks of 32: 9 more cover the other 269 calls.
    expect(leases).toBe(14);
    const leased = await count(quotaWindows(id, now).minuteKey);
    expect(leased - 300).toBeGreaterThanOrEqual(0);
    expect(leased - 300).toBeLessThan(LEASE.maxBlock);
  });

  it('should never lease more than remains: limit L across two hubs admits exactly L once both were refused', async () => {
    const [a, b] = [new QuotaService(await client()), new QuotaService(await client())];
    const id = keyId('two-hubs');
    const limits = { perMinute: 97, perDay: null };
    const decisions = await Promise.all(Array.from({ length: 300 }, (_, i) => (i % 2 ? a : b).charge(id, limits, now)));
    expect(allowed(decisions)).toBe(97);
    expect(await count(quotaWindows(id, now).minuteKey)).toBe(97);
    expect(decisions.find((d) => !d.allowed)).toMatchObject({ window: 'minute', limit: 97, retryAfterSeconds: 30 });
  });

  it('should take no minute units for a call the daily limit refuses', async () => {
    const quotas = new QuotaService(await client());
    const id = keyId('day-first');
    const limits = { perMinute: 100, perDay: 3 };
    const decisions = [];
    for (let i = 0; i < 5; i++) decisions.push(await quotas.charge(id, limits, now));
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false, false]);
    expect(decisions[3]).toMatchObject({ window: 'day', limit: 3 });
    const w = quotaWindows(id, now);
    expect([await count(w.minuteKey), await count(w.dayKey)]).toEqual([3, 3]);
  });

  it("should give a minute lease's unspent units back to the day with the next lease", async () => {
    const quotas = new QuotaService(await client());
    const id = keyId('rollover');
    const limits = { perMinute: 1_000, perDay: 100_000 };
    // 50 calls: leases of 1, 2, 4, 8, 16 and 32 units (63), 13 of them unspent when the minute ends.
    for (let i = 0; i < 50; i++) expect((await quotas.charge(id, limits, now)).allowed).toBe(true);
    const first = quotaWindows(id, now);
    expect(await count(first.dayKey)).toBe(63);
    // A minute later the lease is spent slowly (19 units in 60 s): back to single units, and the 13 go back.
    expect((await quotas.charge(id, limits, now + 60_000)).allowed).toBe(true);
    const second = quotaWindows(id, now + 60_000);
    expect(second.dayKey).toBe(first.dayKey);
    expect(await count(second.dayKey)).toBe(51);
    expect(await count(second.minuteKey)).toBe(1);
    expect(await count(first.minuteKey)).toBe(50);
  });

  it("should not hand one minute's refusal to a call of the next minute that waited on the same refill", async () => {
    const quotas = new QuotaService(await client());
    const id = keyId('boundary');
    const limits = { perMinute: 1, perDay: null };
    expect((await quotas.charge(id, limits, now)).allowed).toBe(true);
    const [late, next] = await Promise.all([quotas.charge(id, limits, now + 1), quotas.charge(id, limits, now + 60_000)]);
    expect(late).toMatchObject({ allowed: false, window: 'minute' });
    expect(next).toEqual({ allowed: true });
  });

  it('should give unspent units back at shutdown, so another hub can admit them in the same window', async () => {
    const [a, b] = [new QuotaService(await client()), new QuotaService(await client())];
    const id = keyId('shutdown');
    const limits = { perMinute: 20, perDay: null };
    // Five calls on hub a: leases of 1, 2 and 4 (the share of what remains allows it): 2 units unspent.
    for (let i = 0; i < 5; i++) expect((await a.charge(id, limits, now)).allowed).toBe(true);
    const onB: QuotaDecision[] = [];
    for (let i = 0; i < 20; i++) onB.push(await b.charge(id, limits, now));
    expect(allowed(onB)).toBe(13);
    await a.beforeApplicationShutdown();
    expect(await count(quotaWindows(id, now).minuteKey)).toBe(18);
    for (let i = 0; i < 3; i++) onB.push(await b.charge(id, limits, now));
    expect(allowed(onB)).toBe(15);
  });

  describe('when Redis stops answering', () => {
    const config = (quotaOnFailure: 'allow' | 'deny') => ({ redis: { quotaOnFailure }, alerts: { quotaNearPercent: 80 } }) as HubConfig;

    it('allow: should spend the lease, then count in memory from what its leases took, never past the limit', async () => {
      const redisOfHub = await client();
      const quotas = new QuotaService(redisOfHub, config('allow'));
      const id = keyId('fallback-allow');
      const limits = { perMinute: 20, perDay: null };
      for (let i = 0; i < 5; i++) expect((await quotas.charge(id, limits, now)).allowed).toBe(true);
      await cut(redisOfHub);
      const during: QuotaDecision[] = [];
      for (let i = 0; i < 25; i++) during.push(await quotas.charge(id, limits, now));
      // 7 units leased before the outage (5 spent, 2 left): 2 from the lease, 13 counted in memory from 7 up to 20.
      expect(allowed(during)).toBe(15);
      expect(during.at(-1)).toMatchObject({ allowed: false, window: 'minute', limit: 20 });
    });

    it('deny: should spend the units already leased, then refuse as the store is unavailable', async () => {
      const redisOfHub = await client();
      const quotas = new QuotaService(redisOfHub, config('deny'));
      const id = keyId('fallback-deny');
      const limits = { perMinute: 20, perDay: null };
      for (let i = 0; i < 5; i++) expect((await quotas.charge(id, limits, now)).allowed).toBe(true);
      await cut(redisOfHub);
      const during = [];
      for (let i = 0; i < 4; i++) during.push(await quotas.charge(id, limits, now));
      expect(during.map((d) => d.allowed)).toEqual([true, true, false, false]);
      expect(during[2]).toMatchObject({ storeUnavailable: true, retryAfterSeconds: 5 });
    });
  });
});

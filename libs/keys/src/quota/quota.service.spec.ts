import { describe, expect, it } from '@jest/globals';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { failFastRedisOptions, type ConfigChange, type ConfigChangeBus, type HubConfig } from '#core';
import { levelsCrossed } from './quota-thresholds.js';
import { QuotaService } from './quota.service.js';

describe(QuotaService.name, () => {
  const t0 = Date.UTC(2026, 0, 1, 12, 0, 10);

  it('should allow exactly perMinute calls in a minute window (in memory)', async () => {
    const quotas = new QuotaService(null);
    const results = await Promise.all(Array.from({ length: 10 }, () => quotas.charge('k', { perMinute: 7, perDay: null }, t0)));
    expect(results.filter((r) => r.allowed)).toHaveLength(7);
    const refused = results.find((r) => !r.allowed);
    expect(refused).toMatchObject({ allowed: false, window: 'minute', limit: 7, retryAfterSeconds: 50 });
    expect(await quotas.charge('k', { perMinute: 7, perDay: null }, t0 + 60_000)).toEqual({ allowed: true });
  });

  it('should not charge the minute window for a call refused by the daily limit', async () => {
    const quotas = new QuotaService(null);
    expect((await quotas.charge('d', { perMinute: 5, perDay: 1 }, t0)).allowed).toBe(true);
    expect(await quotas.charge('d', { perMinute: 5, perDay: 1 }, t0)).toMatchObject({ allowed: false, window: 'day' });
    expect((await quotas.charge('d', { perMinute: 5, perDay: 2 }, t0)).allowed).toBe(true);
  });

  it('should keep keys apart and let unlimited keys through', async () => {
    const quotas = new QuotaService(null);
    await quotas.charge('a', { perMinute: 1, perDay: null }, t0);
    expect((await quotas.charge('b', { perMinute: 1, perDay: null }, t0)).allowed).toBe(true);
    expect((await quotas.charge('a', { perMinute: null, perDay: null }, t0)).allowed).toBe(true);
  });

  describe('thresholds', () => {
    const listening = () => {
      const heard: ConfigChange[] = [];
      const bus = { publish: async (change: ConfigChange) => void heard.push(change) } as unknown as ConfigChangeBus;
      const config = { redis: { quotaOnFailure: 'allow' }, alerts: { quotaNearPercent: 80 } } as HubConfig;
      return { heard, quotas: new QuotaService(null, config, undefined, bus) };
    };

    it('should announce NEAR and EXCEEDED once each per window, not per call or per refusal', async () => {
      const { heard, quotas } = listening();
      for (let i = 0; i < 8; i++) await quotas.charge('t', { perMinute: 5, perDay: null }, t0);
      expect(heard.map((c) => [c.kind, c.id, c.detail?.level, c.detail?.used, c.detail?.window])).toEqual([
        ['key-quota', 't', 'NEAR', 4, 'minute'],
        ['key-quota', 't', 'EXCEEDED', 5, 'minute'],
      ]);
      expect(heard[1].detail).toMatchObject({ limit: 5, resetsAt: new Date(Date.UTC(2026, 0, 1, 12, 1)).toISOString() });
      // The next window counts from zero: both levels again.
      for (let i = 0; i < 5; i++) await quotas.charge('t', { perMinute: 5, perDay: null }, t0 + 60_000);
      expect(heard).toHaveLength(4);
    });

    it('should watch both windows of a key', async () => {
      const { heard, quotas } = listening();
      for (let i = 0; i < 10; i++) await quotas.charge('b', { perMinute: 100, perDay: 10 }, t0);
      expect(heard.map((c) => `${c.detail?.window}:${c.detail?.level}`)).toEqual(['day:NEAR', 'day:EXCEEDED']);
    });
  });

  describe('when the quota store (Redis) cannot be reached', () => {
    /** A fail-fast client like the hub's that found nothing listening and gave up: every command is rejected at once. */
    async function unreachableRedis() {
      const port = await new Promise<number>((resolve) => {
        const probe = createServer().listen(0, '127.0.0.1', () => {
          const { port } = probe.address() as { port: number };
          probe.close(() => resolve(port));
        });
      });
      const redis = new Redis(`redis://127.0.0.1:${port}`, { ...failFastRedisOptions(500), retryStrategy: () => null });
      redis.on('error', () => undefined);
      await new Promise((resolve) => redis.once('end', resolve));
      return redis;
    }
    const config = (quotaOnFailure: 'allow' | 'deny') => ({ redis: { quotaOnFailure }, alerts: { quotaNearPercent: 80 } }) as HubConfig;

    it('allow: should count in this process\'s memory, exactly to the limit', async () => {
      const redis = await unreachableRedis();
      const quotas = new QuotaService(redis, config('allow'));
      const results = [];
      for (let i = 0; i < 6; i++) results.push(await quotas.charge('k', { perMinute: 4, perDay: null }, t0));
      expect(results.map((r) => r.allowed)).toEqual([true, true, true, true, false, false]);
      expect(results[4]).toMatchObject({ window: 'minute', limit: 4, retryAfterSeconds: 50 });
    });

    it('deny: should refuse, naming the store', async () => {
      const redis = await unreachableRedis();
      const quotas = new QuotaService(redis, config('deny'));
      expect(await quotas.charge('k', { perMinute: 4, perDay: null }, t0)).toEqual({ allowed: false, storeUnavailable: true, retryAfterSeconds: 5 });
    });
  });

  it('should place NEAR below the limit only, at the percentage rounded up', () => {
    const oneCall = (used: number, limit: number) => levelsCrossed(used - 1, used, limit, 80);
    expect([1, 2, 3, 4, 5].map((used) => oneCall(used, 5))).toEqual([[], [], [], ['NEAR'], ['EXCEEDED']]);
    expect(oneCall(1, 1)).toEqual(['EXCEEDED']);
    expect([81, 80].map((used) => oneCall(used, 101))).toEqual([['NEAR'], []]);
  });

  it('should report each level a lease passes, once', () => {
    expect(levelsCrossed(30, 34, 40, 80)).toEqual(['NEAR']);
    expect(levelsCrossed(32, 36, 40, 80)).toEqual([]);
    expect(levelsCrossed(36, 40, 40, 80)).toEqual(['EXCEEDED']);
    expect(levelsCrossed(0, 10, 10, 80)).toEqual(['NEAR', 'EXCEEDED']);
  });
});

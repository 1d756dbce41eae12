import { describe, expect, it } from '@jest/globals';
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
});

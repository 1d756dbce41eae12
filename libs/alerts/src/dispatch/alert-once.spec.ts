import { describe, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import { AlertOnce } from './alert-once.js';

describe(AlertOnce.name, () => {
  const t0 = Date.UTC(2026, 10, 1, 12);

  it('should let the first claim of a key win until it expires (in memory)', async () => {
    const once = new AlertOnce(null);
    expect(await once.claim('upstream:s1', 60_000, t0)).toBe(true);
    expect(await once.claim('upstream:s1', 60_000, t0 + 59_999)).toBe(false);
    expect(await once.claim('upstream:s2', 60_000, t0)).toBe(true);
    expect(await once.claim('upstream:s1', 60_000, t0 + 60_000)).toBe(true);
  });

  it('should fall back to memory when Redis cannot answer, rather than drop the notification', async () => {
    const down = { set: async () => Promise.reject(new Error('Connection is closed.')) } as unknown as Redis;
    const once = new AlertOnce(down);
    expect(await once.claim('quota:k1', 1_000, t0)).toBe(true);
    expect(await once.claim('quota:k1', 1_000, t0)).toBe(false);
  });
});

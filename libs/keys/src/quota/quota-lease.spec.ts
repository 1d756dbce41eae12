import { describe, expect, it } from '@jest/globals';
import { KeyLease, LEASE, nextBlock } from './quota-lease.js';
import { quotaWindows } from './quota-windows.js';

describe(KeyLease.name, () => {
  const t0 = Date.UTC(2026, 0, 1, 12, 0, 10);
  const limits = { perMinute: 600, perDay: 10_000 };

  describe(nextBlock.name, () => {
    it('should double the block at most when a lease went fast, up to maxBlock', () => {
      expect(nextBlock(1, 0, 1)).toBe(2);
      expect(nextBlock(8, 5, 8)).toBe(16);
      expect(nextBlock(32, 1, 32)).toBe(LEASE.maxBlock);
    });

    it('should size the block to the key\'s rate: about targetMs worth of calls', () => {
      // 16 units in 500 ms = 32 per second: 8 per 250 ms.
      expect(nextBlock(16, 500, 16)).toBe(8);
      expect(nextBlock(10, 250, 16)).toBe(10);
    });

    it('should fall back to single units for a quiet key', () => {
      expect(nextBlock(32, 60_000, 32)).toBe(LEASE.minBlock);
      expect(nextBlock(0, 10, 4)).toBe(LEASE.minBlock);
    });
  });

  it('should be spendable only in its own windows and limits', () => {
    const lease = new KeyLease(limits, quotaWindows('k', t0), t0);
    expect(lease.matches(limits, quotaWindows('k', t0 + 49_999))).toBe(true);
    expect(lease.matches(limits, quotaWindows('k', t0 + 50_000))).toBe(false);
    expect(lease.matches({ perMinute: 601, perDay: 10_000 }, quotaWindows('k', t0))).toBe(false);
    // Without a minute limit the minute does not matter.
    const daily = new KeyLease({ perMinute: null, perDay: 5 }, quotaWindows('k', t0), t0);
    expect(daily.matches({ perMinute: null, perDay: 5 }, quotaWindows('k', t0 + 3_600_000))).toBe(true);
  });

  it('should size the next lease by how fast the last one went', () => {
    const w = quotaWindows('k', t0);
    const lease = new KeyLease(limits, w, t0);
    expect(lease.want(t0)).toBe(1);
    lease.add(1, limits, w, t0);
    lease.units = 0;
    expect(lease.want(t0 + 2)).toBe(2);
    lease.add(2, limits, w, t0 + 2);
    lease.units = 0;
    // Two units in 1 s: half a unit per 250 ms.
    expect(lease.want(t0 + 1_002)).toBe(1);
  });

  it('should give a minute\'s unspent units back to their own keys when the minute ends, and follow their rate', () => {
    const w = quotaWindows('k', t0);
    const lease = new KeyLease(limits, w, t0);
    lease.block = 16;
    lease.add(16, limits, w, t0);
    lease.units = 10;
    const next = quotaWindows('k', t0 + 60_000);
    lease.moveTo(limits, next, t0 + 60_000);
    expect(lease.giveBack).toEqual({ minuteKey: w.minuteKey, dayKey: w.dayKey, units: 10 });
    expect(lease).toMatchObject({ units: 0, block: 1, takenThisMinute: 0, takenThisDay: 16, windows: next, since: t0 + 60_000 });
    expect(lease.isAhead(w)).toBe(true);
    expect(lease.isAhead(next)).toBe(false);
  });

  it('should give back, not spend, a grant that arrives for windows the lease has left', () => {
    const w = quotaWindows('k', t0);
    const next = quotaWindows('k', t0 + 60_000);
    const lease = new KeyLease(limits, next, t0 + 60_000);
    lease.add(4, limits, w, t0);
    expect(lease.units).toBe(0);
    expect(lease.giveBack).toEqual({ minuteKey: w.minuteKey, dayKey: w.dayKey, units: 4 });
    // A second give-back to the same keys adds up; one to other keys replaces it (those units stay counted: never over-admits).
    lease.add(2, limits, w, t0);
    expect(lease.giveBack?.units).toBe(6);
  });

  it('should count the units it took in the current windows, for the memory fallback', () => {
    const w = quotaWindows('k', t0);
    const lease = new KeyLease(limits, w, t0);
    lease.add(3, limits, w, t0);
    lease.units = 0;
    lease.add(5, limits, w, t0);
    expect([lease.takenThisMinute, lease.takenThisDay, lease.units]).toEqual([8, 8, 5]);
  });
});

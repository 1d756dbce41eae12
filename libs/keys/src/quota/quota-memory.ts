import type { QuotaLimits } from './quota.service.js';
import type { QuotaWindows } from './quota-windows.js';

/** [verdict (0 allowed, 1 minute, 2 day), ttl of the refusing window, minute count, day count (-1: unlimited)] */
export type ChargeResult = [number, number, number?, number?];

/**
 * One process's own count of calls per key and window: the whole quota in embedded mode, and the fallback when
 * Redis cannot answer and QUOTA_ON_REDIS_FAILURE=allow. Checks both windows before charging either, as Redis does.
 */
export class QuotaMemory {
  private readonly counts = new Map<string, { count: number; resetAt: number }>();

  /** Starts a window's count at `count` unless this process already counts it (the units its leases took). */
  seed(key: string, count: number, resetAt: number, now: number): void {
    if (count > 0 && !this.read(key, now)) this.counts.set(key, { count, resetAt });
  }

  charge(w: QuotaWindows, limits: QuotaLimits, now: number): ChargeResult {
    const m = this.read(w.minuteKey, now);
    const d = this.read(w.dayKey, now);
    if (limits.perMinute !== null && (m?.count ?? 0) >= limits.perMinute) return [1, m ? m.resetAt - now : w.minuteTtl];
    if (limits.perDay !== null && (d?.count ?? 0) >= limits.perDay) return [2, d ? d.resetAt - now : w.dayTtl];
    const minuteUsed = (m?.count ?? 0) + 1;
    const dayUsed = (d?.count ?? 0) + 1;
    if (limits.perMinute !== null) this.counts.set(w.minuteKey, { count: minuteUsed, resetAt: m?.resetAt ?? now + w.minuteTtl });
    if (limits.perDay !== null) this.counts.set(w.dayKey, { count: dayUsed, resetAt: d?.resetAt ?? now + w.dayTtl });
    if (this.counts.size > 100_000) for (const [k, v] of this.counts) if (v.resetAt <= now) this.counts.delete(k);
    return [0, 0, limits.perMinute !== null ? minuteUsed : -1, limits.perDay !== null ? dayUsed : -1];
  }

  private read(key: string, now: number) {
    const v = this.counts.get(key);
    return v && v.resetAt > now ? v : undefined;
  }
}

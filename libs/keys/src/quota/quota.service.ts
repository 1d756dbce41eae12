import { Inject, Injectable, Optional, type BeforeApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { ConfigChangeBus, HUB_CONFIG, OutageLog, PINO, REDIS, type HubConfig, type Logger } from '#core';
import { KeyLease, LEASE } from './quota-lease.js';
import { GIVE_BACK_SCRIPT, LEASE_SCRIPT, type LeaseResult } from './quota-lease.script.js';
import { QuotaMemory, type ChargeResult } from './quota-memory.js';
import { levelsCrossed, type QuotaThresholdEvent, type QuotaWindow } from './quota-thresholds.js';
import { quotaWindows, type QuotaWindows } from './quota-windows.js';

export interface QuotaLimits {
  perMinute: number | null;
  perDay: number | null;
}

export type QuotaDecision =
  | { allowed: true }
  | { allowed: false; window: 'minute' | 'day'; retryAfterSeconds: number; limit: number }
  /** Redis could not answer and QUOTA_ON_REDIS_FAILURE=deny. */
  | { allowed: false; storeUnavailable: true; retryAfterSeconds: number };

/** What a refused caller is told to wait when the quota store is down (Redis usually restarts within seconds). */
export const STORE_UNAVAILABLE_RETRY_SECONDS = 5;

const ALLOWED: QuotaDecision = Object.freeze({ allowed: true });
const sameAsk = (a: QuotaWindows, al: QuotaLimits, b: QuotaWindows, bl: QuotaLimits) =>
  a.minuteKey === b.minuteKey && a.dayKey === b.dayKey && al.perMinute === bl.perMinute && al.perDay === bl.perDay;
/** What a refill tells the callers waiting on it: units were added (try again), Redis refused, or it failed. */
type Refill = 'granted' | 'failed' | QuotaDecision;

type LeasingRedis = Redis & {
  mcphubLease(...args: [string, string, string, string, number, number, number, number, number, number, number]): Promise<LeaseResult>;
  mcphubGiveBack(minuteKey: string, dayKey: string, units: number): Promise<unknown>;
};

/**
 * Per-key call quotas. With Redis, shared by every hub replica without a round trip per call: a hub leases a block
 * of units per key from Redis in one atomic step (never more than remains, so the hubs together never admit more than
 * a limit), spends it in memory, and leases again when it runs out (LEASE: block sizes and the exactness bound).
 * Embedded: a count per call in this process's memory. When Redis cannot answer (the shared client fails fast),
 * units already leased are still spent, then QUOTA_ON_REDIS_FAILURE decides: `allow` counts in this process's memory
 * from what its leases took, so one hub still never lets a key past its limits; `deny` refuses the call.
 */
@Injectable()
export class QuotaService implements BeforeApplicationShutdown {
  private readonly memory = new QuotaMemory();
  private readonly leases = new Map<string, KeyLease>();
  private readonly onFailure: 'allow' | 'deny';
  private readonly outage: OutageLog;
  private readonly nearPercent: number;
  /** Once leases were given back at shutdown, calls still in flight lease single units (nothing left to give back). */
  private closing = false;

  constructor(
    @Inject(REDIS) private readonly redis: Redis | null,
    @Optional() @Inject(HUB_CONFIG) config?: HubConfig,
    @Optional() @Inject(PINO) logger?: Logger,
    @Optional() private readonly bus?: ConfigChangeBus,
  ) {
    if (redis && !('mcphubLease' in redis)) {
      redis.defineCommand('mcphubLease', { numberOfKeys: 4, lua: LEASE_SCRIPT });
      redis.defineCommand('mcphubGiveBack', { numberOfKeys: 2, lua: GIVE_BACK_SCRIPT });
    }
    this.onFailure = config?.redis.quotaOnFailure ?? 'allow';
    this.nearPercent = config?.alerts.quotaNearPercent ?? 80;
    this.outage = new OutageLog(logger, `Quota store (Redis); quota-limited calls are ${this.onFailure === 'allow' ? 'counted in this hub\'s memory' : 'refused'} meanwhile`);
  }

  async charge(keyId: string, limits: QuotaLimits, now = Date.now()): Promise<QuotaDecision> {
    if (limits.perMinute === null && limits.perDay === null) return ALLOWED;
    let w = quotaWindows(keyId, now);
    if (!this.redis) return this.inMemory(keyId, limits, w, now);
    const lease = this.leaseOf(keyId, limits, w, now);
    for (;;) {
      // The hot path: a unit of this hub's lease, no Redis.
      if (lease.units > 0 && lease.matches(limits, w)) {
        lease.units--;
        return ALLOWED;
      }
      if (!lease.matches(limits, w)) {
        if (lease.isAhead(w)) ({ windows: w, since: now } = lease);
        if (!lease.matches(limits, w)) lease.moveTo(limits, w, now);
      }
      // One refill per key at a time; concurrent callers wait for it, then take its units in turn.
      lease.refill ??= { outcome: this.refill(keyId, lease, limits, w, now).finally(() => (lease.refill = undefined)), windows: w, limits };
      const { outcome: pending, windows: asked, limits: askedLimits } = lease.refill;
      const outcome = (await pending) as Refill;
      if (outcome === 'granted') continue;
      // Another window's (or limits') refusal is not this call's: it asks for its own.
      if (outcome !== 'failed' && !sameAsk(asked, askedLimits, w, limits)) continue;
      if (outcome !== 'failed') return outcome;
      if (this.onFailure === 'deny') return { allowed: false, storeUnavailable: true, retryAfterSeconds: STORE_UNAVAILABLE_RETRY_SECONDS };
      this.memory.seed(w.minuteKey, lease.takenThisMinute, now + w.minuteTtl, now);
      this.memory.seed(w.dayKey, lease.takenThisDay, now + w.dayTtl, now);
      return this.inMemory(keyId, limits, w, now);
    }
  }

  /** Gives every lease's unspent units back, so the other hubs can admit them before the window ends. */
  async beforeApplicationShutdown(): Promise<void> {
    if (!this.redis) return;
    this.closing = true;
    const redis = this.redis as LeasingRedis;
    const returns: Promise<unknown>[] = [];
    for (const lease of this.leases.values()) {
      if (lease.units > 0) returns.push(redis.mcphubGiveBack(lease.windows.minuteKey, lease.windows.dayKey, lease.units));
      if (lease.giveBack) returns.push(redis.mcphubGiveBack(lease.giveBack.minuteKey, lease.giveBack.dayKey, lease.giveBack.units));
      lease.units = 0;
      lease.giveBack = undefined;
    }
    await Promise.allSettled(returns);
  }

  private leaseOf(keyId: string, limits: QuotaLimits, w: QuotaWindows, now: number): KeyLease {
    let lease = this.leases.get(keyId);
    if (!lease) {
      if (this.leases.size >= 100_000) this.forgetIdleLeases(now);
      lease = new KeyLease(limits, w, now);
      this.leases.set(keyId, lease);
    }
    return lease;
  }

  private async refill(keyId: string, lease: KeyLease, limits: QuotaLimits, w: QuotaWindows, now: number): Promise<Refill> {
    const back = lease.giveBack;
    let result: LeaseResult;
    try {
      result = await (this.redis as LeasingRedis).mcphubLease(
        w.minuteKey, w.dayKey, back?.minuteKey ?? w.minuteKey, back?.dayKey ?? w.dayKey,
        limits.perMinute ?? -1, limits.perDay ?? -1, w.minuteTtl, w.dayTtl,
        this.closing ? 1 : lease.want(now), LEASE.shareDivisor, back?.units ?? 0,
      );
      this.outage.recovered();
    } catch (error) {
      this.outage.failed(error as Error, { policy: this.onFailure });
      return 'failed';
    }
    if (back && lease.giveBack === back) lease.giveBack = undefined;
    const [verdict, grantedOrTtl, minuteCount = -1, dayCount = -1] = result;
    if (verdict !== 0) return this.refusal(verdict, grantedOrTtl, limits);
    lease.add(grantedOrTtl, limits, w, now);
    this.announce(keyId, limits, w, now, grantedOrTtl, minuteCount, dayCount);
    return 'granted';
  }

  private inMemory(keyId: string, limits: QuotaLimits, w: QuotaWindows, now: number): QuotaDecision {
    const [verdict, ttl, minuteCount = -1, dayCount = -1]: ChargeResult = this.memory.charge(w, limits, now);
    if (verdict !== 0) return this.refusal(verdict, ttl, limits);
    this.announce(keyId, limits, w, now, 1, minuteCount, dayCount);
    return ALLOWED;
  }

  private refusal(verdict: number, ttl: number, limits: QuotaLimits): QuotaDecision {
    const window = verdict === 1 ? 'minute' : 'day';
    return {
      allowed: false,
      window,
      retryAfterSeconds: Math.max(1, Math.ceil(ttl / 1000)),
      limit: (window === 'minute' ? limits.perMinute : limits.perDay)!,
    };
  }

  /** Thresholds passed by `units` just handed out (one call, or one lease); the rare crossing is announced without waiting. */
  private announce(keyId: string, limits: QuotaLimits, w: QuotaWindows, now: number, units: number, minuteCount: number, dayCount: number): void {
    if (limits.perMinute !== null) this.checkThreshold(keyId, 'minute', minuteCount - units, minuteCount, limits.perMinute, now + w.minuteTtl);
    if (limits.perDay !== null) this.checkThreshold(keyId, 'day', dayCount - units, dayCount, limits.perDay, now + w.dayTtl);
  }

  private checkThreshold(keyId: string, window: QuotaWindow, before: number, used: number, limit: number, resetsAt: number): void {
    if (!this.bus) return;
    for (const level of levelsCrossed(before, used, limit, this.nearPercent)) {
      const detail: QuotaThresholdEvent = { keyId, window, level, used, limit, resetsAt: new Date(resetsAt).toISOString() };
      void this.bus.publish({ kind: 'key-quota', id: keyId, detail: { ...detail } });
    }
  }

  /** Leases with nothing to spend, give back or wait for; a new one starts from scratch at no cost but one lease. */
  private forgetIdleLeases(now: number): void {
    for (const [keyId, lease] of this.leases) {
      if (!lease.refill && !lease.giveBack && (lease.units === 0 || now - lease.grantedAt > 86_400_000)) this.leases.delete(keyId);
    }
  }
}

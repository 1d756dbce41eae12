import { Inject, Injectable, Optional } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { ConfigChangeBus, HUB_CONFIG, OutageLog, PINO, REDIS, type HubConfig, type Logger } from '#core';
import { levelReached, type QuotaThresholdEvent, type QuotaWindow } from './quota-thresholds.js';

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

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

// Checks both windows, then charges both, in one atomic step: a call refused by the daily limit
// does not eat into the minute window, and concurrent calls never overshoot (fixed windows, UTC-aligned).
// An allowed call gets the new counts back (-1 for an unlimited window), for the threshold check.
const CHARGE_SCRIPT = `
local m = tonumber(redis.call('GET', KEYS[1]) or '0')
local d = tonumber(redis.call('GET', KEYS[2]) or '0')
local ml = tonumber(ARGV[1])
local dl = tonumber(ARGV[2])
if ml >= 0 and m >= ml then return {1, redis.call('PTTL', KEYS[1])} end
if dl >= 0 and d >= dl then return {2, redis.call('PTTL', KEYS[2])} end
local mc = -1
local dc = -1
if ml >= 0 then
  mc = redis.call('INCR', KEYS[1])
  if mc == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
end
if dl >= 0 then
  dc = redis.call('INCR', KEYS[2])
  if dc == 1 then redis.call('PEXPIRE', KEYS[2], ARGV[4]) end
end
return {0, 0, mc, dc}
`;

/** [verdict (0 allowed, 1 minute, 2 day), ttl of the refusing window, minute count, day count (-1: unlimited)] */
type ChargeResult = [number, number, number?, number?];

type ChargingRedis = Redis & { mcphubCharge(minuteKey: string, dayKey: string, ml: number, dl: number, mttl: number, dttl: number): Promise<ChargeResult> };

/**
 * Per-key call quotas. With Redis: one Lua script per call, shared by every hub replica.
 * Embedded: the same arithmetic in this process's memory. When Redis cannot answer (the shared client fails fast),
 * QUOTA_ON_REDIS_FAILURE decides: `allow` charges this process's memory instead, so one hub still never lets a key
 * past its limits; `deny` refuses the call.
 */
@Injectable()
export class QuotaService {
  private readonly memory = new Map<string, { count: number; resetAt: number }>();
  private readonly onFailure: 'allow' | 'deny';
  private readonly outage: OutageLog;
  private readonly nearPercent: number;

  constructor(
    @Inject(REDIS) private readonly redis: Redis | null,
    @Optional() @Inject(HUB_CONFIG) config?: HubConfig,
    @Optional() @Inject(PINO) logger?: Logger,
    @Optional() private readonly bus?: ConfigChangeBus,
  ) {
    if (redis && !('mcphubCharge' in redis)) redis.defineCommand('mcphubCharge', { numberOfKeys: 2, lua: CHARGE_SCRIPT });
    this.onFailure = config?.redis.quotaOnFailure ?? 'allow';
    this.nearPercent = config?.alerts.quotaNearPercent ?? 80;
    this.outage = new OutageLog(logger, `Quota store (Redis); quota-limited calls are ${this.onFailure === 'allow' ? 'counted in this hub\'s memory' : 'refused'} meanwhile`);
  }

  async charge(keyId: string, limits: QuotaLimits, now = Date.now()): Promise<QuotaDecision> {
    if (limits.perMinute === null && limits.perDay === null) return { allowed: true };
    const minuteWindow = Math.floor(now / MINUTE_MS);
    const dayWindow = Math.floor(now / DAY_MS);
    const minuteKey = `mcphub:quota:${keyId}:m:${minuteWindow}`;
    const dayKey = `mcphub:quota:${keyId}:d:${dayWindow}`;
    const minuteTtl = (minuteWindow + 1) * MINUTE_MS - now;
    const dayTtl = (dayWindow + 1) * DAY_MS - now;
    let result: ChargeResult;
    if (!this.redis) {
      result = this.chargeInMemory(minuteKey, dayKey, limits, now, minuteTtl, dayTtl);
    } else {
      try {
        result = await (this.redis as ChargingRedis).mcphubCharge(minuteKey, dayKey, limits.perMinute ?? -1, limits.perDay ?? -1, minuteTtl, dayTtl);
        this.outage.recovered();
      } catch (error) {
        this.outage.failed(error as Error, { policy: this.onFailure });
        if (this.onFailure === 'deny') return { allowed: false, storeUnavailable: true, retryAfterSeconds: STORE_UNAVAILABLE_RETRY_SECONDS };
        result = this.chargeInMemory(minuteKey, dayKey, limits, now, minuteTtl, dayTtl);
      }
    }
    const [verdict, ttl, minuteUsed = -1, dayUsed = -1] = result;
    if (verdict === 0) {
      if (limits.perMinute !== null) this.checkThreshold(keyId, 'minute', minuteUsed, limits.perMinute, now + minuteTtl);
      if (limits.perDay !== null) this.checkThreshold(keyId, 'day', dayUsed, limits.perDay, now + dayTtl);
      return { allowed: true };
    }
    const window = verdict === 1 ? 'minute' : 'day';
    return {
      allowed: false,
      window,
      retryAfterSeconds: Math.max(1, Math.ceil(ttl / 1000)),
      limit: (window === 'minute' ? limits.perMinute : limits.perDay)!,
    };
  }

  /** O(1) on the call path; the rare crossing is announced without waiting for it. */
  private checkThreshold(keyId: string, window: QuotaWindow, used: number, limit: number, resetsAt: number): void {
    const level = levelReached(used, limit, this.nearPercent);
    if (!level || !this.bus) return;
    const detail: QuotaThresholdEvent = { keyId, window, level, used, limit, resetsAt: new Date(resetsAt).toISOString() };
    void this.bus.publish({ kind: 'key-quota', id: keyId, detail: { ...detail } });
  }

  private chargeInMemory(minuteKey: string, dayKey: string, limits: QuotaLimits, now: number, minuteTtl: number, dayTtl: number): ChargeResult {
    const read = (key: string) => {
      const v = this.memory.get(key);
      return v && v.resetAt > now ? v : undefined;
    };
    const m = read(minuteKey);
    const d = read(dayKey);
    if (limits.perMinute !== null && (m?.count ?? 0) >= limits.perMinute) return [1, m!.resetAt - now];
    if (limits.perDay !== null && (d?.count ?? 0) >= limits.perDay) return [2, d!.resetAt - now];
    const minuteUsed = (m?.count ?? 0) + 1;
    const dayUsed = (d?.count ?? 0) + 1;
    if (limits.perMinute !== null) this.memory.set(minuteKey, { count: minuteUsed, resetAt: m?.resetAt ?? now + minuteTtl });
    if (limits.perDay !== null) this.memory.set(dayKey, { count: dayUsed, resetAt: d?.resetAt ?? now + dayTtl });
    if (this.memory.size > 100_000) for (const [k, v] of this.memory) if (v.resetAt <= now) this.memory.delete(k);
    return [0, 0, limits.perMinute !== null ? minuteUsed : -1, limits.perDay !== null ? dayUsed : -1];
  }
}

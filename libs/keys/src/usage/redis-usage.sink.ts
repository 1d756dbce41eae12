import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { OutageLog } from '#core';
import type { CallLogEntry } from '../call-log/call-log-entry.js';
import { hourOf, rowKey, type CallRecord } from './usage-row.js';

/** Where hubs count usage; UsageMover renames it into a batch and moves the batch to PostgreSQL. */
export const USAGE_PENDING_KEY = 'mcphub:usage:pending';
/** Five hash fields per key/server/tool/hour row: at most 200,000 rows (~40 MB) wait in Redis. */
export const USAGE_PENDING_MAX_FIELDS = 1_000_000;
/** Call-log entries (JSON) waiting in Redis for the mover, and the count of their bytes. */
export const CALL_LOG_PENDING_KEY = 'mcphub:calllog:pending';
export const CALL_LOG_PENDING_BYTES_KEY = 'mcphub:calllog:pending:bytes';
/** Call-log bytes that may wait in Redis (~400 bytes an entry without a capture: ~160,000 entries). */
export const CALL_LOG_PENDING_MAX_BYTES = 64 * 1024 * 1024;
/** Calls one hub keeps in memory while Redis cannot take them (~650 bytes each with their entry: ~65 MB). */
export const USAGE_LOCAL_MAX_CALLS = 100_000;
/** ...and at most this many bytes of their call-log entries (captured bodies make entries large). */
export const USAGE_LOCAL_MAX_LOG_BYTES = 32 * 1024 * 1024;

const SEEN_PREFIX = 'mcphub:usage:seen:';
const SEEN_BLOCK_BITS = 2 ** 20;
const SEEN_TTL_MS = 24 * 3_600_000;
const DRAIN_CHUNK = 500;

// One atomic step per call: its usage (counts, errors, latency sum and max of the row) and its call-log entry,
// plus the call's bit in this hub's "seen" bitmap. A retry of a call whose first attempt did reach Redis (reply
// lost, timed out) finds its bit and adds nothing, so retrying is always safe. Either part may be absent (ARGV[3]
// or ARGV[8] empty). Returns 1 recorded, 0 already recorded, -1 usage pending is full, -2 call log pending is full.
const RECORD_SCRIPT = `
if redis.call('GETBIT', KEYS[2], ARGV[1]) == 1 then return 0 end
local id = ARGV[3]
local entry = ARGV[8]
if id ~= '' and redis.call('HEXISTS', KEYS[1], 'c|' .. id) == 0 and redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[7]) then return -1 end
if entry ~= '' and tonumber(redis.call('GET', KEYS[4]) or '0') + #entry > tonumber(ARGV[9]) then return -2 end
redis.call('SETBIT', KEYS[2], ARGV[1], 1)
redis.call('PEXPIRE', KEYS[2], ARGV[2])
if id ~= '' then
  redis.call('HINCRBY', KEYS[1], 'c|' .. id, 1)
  redis.call('HINCRBY', KEYS[1], 'e|' .. id, ARGV[5])
  redis.call('HINCRBYFLOAT', KEYS[1], 'l|' .. id, ARGV[6])
  local m = tonumber(redis.call('HGET', KEYS[1], 'm|' .. id) or '-1')
  if tonumber(ARGV[6]) > m then redis.call('HSET', KEYS[1], 'm|' .. id, ARGV[6]) end
  redis.call('HSET', KEYS[1], 's|' .. id, ARGV[4])
end
if entry ~= '' then
  redis.call('RPUSH', KEYS[3], entry)
  redis.call('INCRBY', KEYS[4], #entry)
end
return 1
`;

type UsageRedis = Redis & {
  mcphubUsageRecord(
    pending: string, seen: string, logPending: string, logBytes: string,
    bit: number, ttl: number, id: string, slug: string, failed: number, latency: number, maxFields: number, entry: string, maxLogBytes: number,
  ): Promise<number>;
};

interface PendingCall {
  call: CallRecord | null;
  /** The call-log entry as JSON ('' for none). */
  entry: string;
  at: number;
  seq: number;
}

/**
 * Redis mode: each call is counted, and its call-log entry queued, in Redis before its answer goes back to the
 * agent (one round trip for both), so a hub that dies (kill -9) loses nothing it has answered. When Redis cannot take a call (down, slow, full), the call waits in
 * this hub's memory and is retried every flush interval, bounded by `maxLocalCalls`; past that, calls are
 * dropped, counted and logged.
 */
export class RedisUsageSink {
  private readonly hubId = randomUUID();
  private seq = 0;
  private local: PendingCall[] = [];
  private localLogBytes = 0;
  private timer?: NodeJS.Timeout;
  private draining: Promise<void> = Promise.resolve();
  private lastDropLog = 0;
  private readonly outage: OutageLog;
  /** Calls dropped because Redis could not take them and the local buffer was full. */
  droppedCalls = 0;

  constructor(
    private readonly redis: Redis,
    private readonly logger: Logger,
    private readonly flushIntervalMs: number,
    private readonly maxLocalCalls = USAGE_LOCAL_MAX_CALLS,
    private readonly maxLocalLogBytes = USAGE_LOCAL_MAX_LOG_BYTES,
  ) {
    this.outage = new OutageLog(logger, 'Usage counting in Redis (calls are kept in this hub meanwhile)');
    if (!('mcphubUsageRecord' in redis)) redis.defineCommand('mcphubUsageRecord', { numberOfKeys: 4, lua: RECORD_SCRIPT });
  }

  get localCalls(): number {
    return this.local.length;
  }

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.flushIntervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
    if (this.local.length) this.logger.error({ calls: this.local.length }, 'usage not counted at shutdown (Redis unavailable): these calls are lost');
  }

  /**
   * Resolves once the call is counted in Redis, or kept locally for a retry: never later than the shared client's
   * command timeout (REDIS_COMMAND_TIMEOUT_MS), which bounds every command on the call path.
   */
  async record(call: CallRecord | null, entry: CallLogEntry | null = null, at = Date.now()): Promise<void> {
    const pending = { call, entry: entry ? JSON.stringify(entry) : '', at, seq: this.seq++ };
    // While older calls wait locally Redis is known to be failing: don't make every call wait for a timeout.
    if (this.local.length || !(await this.send(pending))) this.keep(pending);
  }

  /** Retries the calls kept locally (one retry pass at a time). */
  flush(): Promise<void> {
    this.draining = this.draining.then(() => this.drain());
    return this.draining;
  }

  private async drain(): Promise<void> {
    if (!this.local.length) return;
    const waiting = this.local;
    this.local = [];
    this.localLogBytes = 0;
    // Probe with one call: while Redis is down, don't pile thousands of commands onto the client.
    if (!(await this.send(waiting[0]))) {
      this.local = waiting.concat(this.local);
      this.localLogBytes = this.local.reduce((n, p) => n + p.entry.length, 0);
      return;
    }
    const failed: PendingCall[] = [];
    for (let i = 1; i < waiting.length; i += DRAIN_CHUNK) {
      const chunk = waiting.slice(i, i + DRAIN_CHUNK);
      const sent = await Promise.all(chunk.map((p) => this.send(p)));
      chunk.forEach((p, j) => sent[j] || failed.push(p));
    }
    this.local = failed.concat(this.local);
    this.localLogBytes = this.local.reduce((n, p) => n + p.entry.length, 0);
    if (!this.local.length) this.logger.info({ calls: waiting.length }, 'usage kept during a Redis failure is now counted');
  }

  private async send(p: PendingCall): Promise<boolean> {
    const bit = p.seq % SEEN_BLOCK_BITS;
    const seen = `${SEEN_PREFIX}${this.hubId}:${Math.floor(p.seq / SEEN_BLOCK_BITS)}`;
    const { call } = p;
    const id = call ? rowKey(call.keyId, call.serverId, hourOf(p.at), call.tool) : '';
    try {
      const result = await (this.redis as UsageRedis).mcphubUsageRecord(
        USAGE_PENDING_KEY, seen, CALL_LOG_PENDING_KEY, CALL_LOG_PENDING_BYTES_KEY,
        bit, SEEN_TTL_MS, id, call?.serverSlug ?? '', call?.ok === false ? 1 : 0, call?.latencyMs ?? 0, USAGE_PENDING_MAX_FIELDS, p.entry, CALL_LOG_PENDING_MAX_BYTES,
      );
      if (result === -1 || result === -2) {
        const bound = result === -1 ? `usage waiting in Redis hit its bound of ${USAGE_PENDING_MAX_FIELDS} fields` : `the call log waiting in Redis hit its bound of ${CALL_LOG_PENDING_MAX_BYTES} bytes`;
        this.outage.failed(new Error(`${bound} (is the worker moving it to PostgreSQL?)`));
        return false;
      }
      this.outage.recovered();
      return true;
    } catch (error) {
      this.outage.failed(error as Error);
      return false;
    }
  }

  private keep(p: PendingCall): void {
    if (this.local.length < this.maxLocalCalls && this.localLogBytes + p.entry.length <= this.maxLocalLogBytes) {
      this.local.push(p);
      this.localLogBytes += p.entry.length;
      return;
    }
    this.droppedCalls += 1;
    if (Date.now() - this.lastDropLog >= 10_000) {
      this.lastDropLog = Date.now();
      this.logger.error({ droppedCalls: this.droppedCalls, maxLocalCalls: this.maxLocalCalls }, 'usage buffer full (Redis unreachable too long): calls are not being counted');
    }
  }
}

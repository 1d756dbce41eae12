import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { OutageLog } from '#core';
import type { CallLogEntry } from '../call-log/call-log-entry.js';
import { CALL_LOG_PENDING_FULL, USAGE_PENDING_FULL, batchArguments, defineRecordBatch, type PendingCall, type UsageRecordingRedis } from './usage-record.script.js';
import type { CallRecord } from './usage-row.js';

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
/** A batch's bounds: calls, and bytes of call-log entries (captured bodies make entries large). */
const BATCH_MAX_CALLS = 500;
const BATCH_MAX_LOG_BYTES = 1024 * 1024;

/** Calls recorded in one step, under one bit of the seen bitmap: retried as they are, never regrouped. */
interface Batch {
  seq: number;
  calls: PendingCall[];
}

/**
 * Redis mode: each call is counted, and its call-log entry queued, in Redis before its answer goes back to the
 * agent, so a hub that dies (kill -9) loses nothing it has answered. The calls that end in one turn of the event
 * loop go together, in one script run (concurrent calls of one tool share a usage row: a few Redis commands for
 * the lot instead of a dozen a call). When Redis cannot take a batch (down, slow, full), its calls wait in this
 * hub's memory and are retried every flush interval, bounded by `maxLocalCalls`; past that, calls are dropped,
 * counted and logged.
 */
export class RedisUsageSink {
  private readonly hubId = randomUUID();
  private readonly redis: UsageRecordingRedis;
  private seq = 0;
  /** The calls of this turn of the event loop, and who awaits them: one batch when the turn ends. */
  private forming: PendingCall[] = [];
  private formingDone: (() => void)[] = [];
  private readonly sending = new Set<Promise<void>>();
  /** Batches sent at least once without Redis confirming them: retried as they are (the same seen bit). */
  private kept: Batch[] = [];
  /** Calls kept without being sent (Redis was known to be failing): batched when retried. */
  private unsent: PendingCall[] = [];
  private keptCalls = 0;
  private keptLogBytes = 0;
  private timer?: NodeJS.Timeout;
  private draining: Promise<void> = Promise.resolve();
  private lastDropLog = 0;
  private readonly outage: OutageLog;
  /** Calls dropped because Redis could not take them and the local buffer was full. */
  droppedCalls = 0;

  constructor(
    redis: Redis,
    private readonly logger: Logger,
    private readonly flushIntervalMs: number,
    private readonly maxLocalCalls = USAGE_LOCAL_MAX_CALLS,
    private readonly maxLocalLogBytes = USAGE_LOCAL_MAX_LOG_BYTES,
  ) {
    this.outage = new OutageLog(logger, 'Usage counting in Redis (calls are kept in this hub meanwhile)');
    this.redis = defineRecordBatch(redis);
  }

  get localCalls(): number {
    return this.keptCalls;
  }

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.flushIntervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all(this.sending);
    await this.flush();
    if (this.keptCalls) this.logger.error({ calls: this.keptCalls }, 'usage not counted at shutdown (Redis unavailable): these calls are lost');
  }

  /**
   * Resolves once the call is counted in Redis, or kept locally for a retry: never later than the shared client's
   * command timeout (REDIS_COMMAND_TIMEOUT_MS), which bounds every command on the call path.
   */
  record(call: CallRecord | null, entry: CallLogEntry | null = null, at = Date.now()): Promise<void> {
    const pending: PendingCall = { call, entry: entry ? JSON.stringify(entry) : '', at };
    // While older calls wait locally Redis is known to be failing: don't make every call wait for a timeout.
    if (this.keptCalls) {
      if (this.fits(pending)) this.unsent.push(pending);
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      // setImmediate runs after every I/O callback of this turn of the loop (and the promise reactions they
      // caused): the calls they ended go in one batch, one Redis write, which at one call a turn costs no wait.
      if (!this.forming.length) setImmediate(() => this.sendForming());
      this.forming.push(pending);
      this.formingDone.push(resolve);
    });
  }

  /** Retries the calls kept locally (one retry pass at a time). */
  flush(): Promise<void> {
    this.draining = this.draining.then(() => this.drain());
    return this.draining;
  }

  private sendForming(): void {
    const calls = this.forming;
    const done = this.formingDone;
    this.forming = [];
    this.formingDone = [];
    const sent = Promise.all(this.batches(calls).map(async (batch) => {
      if (!(await this.send(batch))) this.keep(batch);
    })).then(() => {
      this.sending.delete(sent);
      for (const resolve of done) resolve();
    });
    this.sending.add(sent);
  }

  private async drain(): Promise<void> {
    if (!this.keptCalls) return;
    const waiting = this.kept.concat(this.batches(this.unsent));
    this.kept = [];
    this.unsent = [];
    this.keptCalls = 0;
    this.keptLogBytes = 0;
    // One batch at a time, the first as a probe: while Redis is down, don't pile commands onto the client.
    for (let i = 0; i < waiting.length; i++) {
      if (await this.send(waiting[i])) continue;
      for (const batch of waiting.slice(i)) this.keep(batch);
      return;
    }
    if (!this.keptCalls) this.logger.info({ calls: waiting.reduce((n, b) => n + b.calls.length, 0) }, 'usage kept during a Redis failure is now counted');
  }

  /** `calls` in batches within the bounds, each with the next seen bit. */
  private batches(calls: PendingCall[]): Batch[] {
    const batches: Batch[] = [];
    let current: Batch | undefined;
    let bytes = 0;
    for (const call of calls) {
      if (!current || current.calls.length >= BATCH_MAX_CALLS || (bytes + call.entry.length > BATCH_MAX_LOG_BYTES && current.calls.length)) {
        current = { seq: this.seq++, calls: [] };
        batches.push(current);
        bytes = 0;
      }
      current.calls.push(call);
      bytes += call.entry.length;
    }
    return batches;
  }

  private async send(batch: Batch): Promise<boolean> {
    const bit = batch.seq % SEEN_BLOCK_BITS;
    const seen = `${SEEN_PREFIX}${this.hubId}:${Math.floor(batch.seq / SEEN_BLOCK_BITS)}`;
    try {
      const result = await this.redis.mcphubUsageRecordBatch(
        USAGE_PENDING_KEY, seen, CALL_LOG_PENDING_KEY, CALL_LOG_PENDING_BYTES_KEY,
        bit, SEEN_TTL_MS, USAGE_PENDING_MAX_FIELDS, CALL_LOG_PENDING_MAX_BYTES, ...batchArguments(batch.calls),
      );
      if (result === USAGE_PENDING_FULL || result === CALL_LOG_PENDING_FULL) {
        const bound = result === USAGE_PENDING_FULL ? `usage waiting in Redis hit its bound of ${USAGE_PENDING_MAX_FIELDS} fields` : `the call log waiting in Redis hit its bound of ${CALL_LOG_PENDING_MAX_BYTES} bytes`;
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

  /** Keeps what fits of a batch that was sent (its seen bit stays: a retry of a part that landed adds nothing). */
  private keep(batch: Batch): void {
    const calls = batch.calls.filter((call) => this.fits(call));
    if (calls.length) this.kept.push({ seq: batch.seq, calls });
  }

  /** Counts `call` as kept when the local bounds allow; otherwise counts it dropped. */
  private fits(call: PendingCall): boolean {
    if (this.keptCalls < this.maxLocalCalls && this.keptLogBytes + call.entry.length <= this.maxLocalLogBytes) {
      this.keptCalls += 1;
      this.keptLogBytes += call.entry.length;
      return true;
    }
    this.droppedCalls += 1;
    if (Date.now() - this.lastDropLog >= 10_000) {
      this.lastDropLog = Date.now();
      this.logger.error({ droppedCalls: this.droppedCalls, maxLocalCalls: this.maxLocalCalls }, 'usage buffer full (Redis unreachable too long): calls are not being counted');
    }
    return false;
  }
}

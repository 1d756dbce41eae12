import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { PINO, REDIS } from '#core';
import type { CallLogEntry } from '../call-log/call-log-entry.js';
import { writeCallLog } from '../call-log/call-log.writer.js';
import { CALL_LOG_PENDING_BYTES_KEY, CALL_LOG_PENDING_KEY, USAGE_PENDING_KEY } from './redis-usage.sink.js';
import { parseRowKey, type UsageRow } from './usage-row.js';
import { writeUsageRows } from './usage-rows.writer.js';

export const USAGE_BATCHES_KEY = 'mcphub:usage:batches';
const BATCH_PREFIX = 'mcphub:usage:batch:';
/** A batch's call-log entries (a list), next to its usage hash. */
const LOG_BATCH_PREFIX = 'mcphub:calllog:batch:';
const LOG_READ_CHUNK = 5_000;
/** Batch ids are remembered this long; a batch key lives in Redis only until the run after its commit. */
const BATCH_ID_RETENTION_HOURS = 24;
const PRUNE_EVERY_MS = 10 * 60_000;

// Claims the calls recorded so far (usage hash and call-log list) as a new batch, atomically (a hub's call lands
// either in it or in the next). While an older batch still waits (PostgreSQL down), no new one is cut: calls keep
// adding up in pending, so what waits in Redis stays within the pending bounds. Returns the batch ids to move.
const CLAIM_SCRIPT = `
local open = redis.call('ZRANGE', KEYS[2], 0, -1)
if #open > 0 then return open end
local usage = redis.call('EXISTS', KEYS[1])
local log = redis.call('EXISTS', KEYS[4])
if usage == 0 and log == 0 then return {} end
if usage == 1 then redis.call('RENAME', KEYS[1], KEYS[3]) end
if log == 1 then redis.call('RENAME', KEYS[4], KEYS[5]) end
redis.call('DEL', KEYS[6])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
return {ARGV[1]}
`;

type ClaimingRedis = Redis & {
  mcphubUsageClaim(pending: string, batches: string, batchKey: string, logPending: string, logBatchKey: string, logBytes: string, id: string, now: number): Promise<string[]>;
};

export interface MoveResult {
  batches: number;
  calls: number;
  entries: number;
}

/**
 * Moves what hubs recorded in Redis to PostgreSQL, each batch exactly once: usage into usage_hourly and call-log
 * entries into call_log, in one transaction with the batch id. Safe to run concurrently.
 */
@Injectable()
export class UsageMover {
  private lastPrune = 0;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: Redis | null,
    @Inject(PINO) private readonly logger: Logger,
  ) {
    if (redis && !('mcphubUsageClaim' in redis)) redis.defineCommand('mcphubUsageClaim', { numberOfKeys: 6, lua: CLAIM_SCRIPT });
  }

  /** Throws when PostgreSQL refused a batch: it stays in Redis and the next run retries it. */
  async move(): Promise<MoveResult> {
    const result = { batches: 0, calls: 0, entries: 0 };
    if (!this.redis) return result; // embedded mode: UsageRecorder writes usage itself
    const id = randomUUID();
    const ids = await (this.redis as ClaimingRedis).mcphubUsageClaim(
      USAGE_PENDING_KEY, USAGE_BATCHES_KEY, BATCH_PREFIX + id, CALL_LOG_PENDING_KEY, LOG_BATCH_PREFIX + id, CALL_LOG_PENDING_BYTES_KEY, id, Date.now(),
    );
    for (const batchId of ids) {
      try {
        const moved = await this.moveBatch(batchId);
        result.calls += moved.calls;
        result.entries += moved.entries;
        result.batches += 1;
      } catch (error) {
        this.logger.error({ batch: batchId, err: (error as Error).message }, 'usage batch not moved to PostgreSQL; it stays in Redis for the next run');
        throw error;
      }
    }
    if (result.batches) await this.prune();
    return result;
  }

  private async moveBatch(batchId: string): Promise<{ calls: number; entries: number }> {
    const rows = parseBatch(await this.redis!.hgetall(BATCH_PREFIX + batchId));
    const entries = await this.readEntries(LOG_BATCH_PREFIX + batchId);
    const calls = rows.reduce((n, r) => n + r.calls, 0);
    if (rows.length || entries.length) {
      await this.dataSource.transaction(async (manager) => {
        const claimed = (await manager.query(`INSERT INTO usage_batches (id, calls) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING RETURNING id`, [batchId, calls])) as unknown[];
        if (!claimed.length) return; // moved before; only its deletion from Redis was missed
        await writeUsageRows(manager, rows);
        await writeCallLog(manager, entries);
      });
    }
    await this.redis!.multi().del(BATCH_PREFIX + batchId).del(LOG_BATCH_PREFIX + batchId).zrem(USAGE_BATCHES_KEY, batchId).exec();
    return { calls, entries: entries.length };
  }

  private async readEntries(key: string): Promise<CallLogEntry[]> {
    const entries: CallLogEntry[] = [];
    for (let start = 0; ; start += LOG_READ_CHUNK) {
      const chunk = await this.redis!.lrange(key, start, start + LOG_READ_CHUNK - 1);
      for (const json of chunk) {
        try {
          entries.push(JSON.parse(json) as CallLogEntry);
        } catch {
          this.logger.error({ key }, 'unreadable call-log entry in Redis skipped');
        }
      }
      if (chunk.length < LOG_READ_CHUNK) return entries;
    }
  }

  private async prune(): Promise<void> {
    if (Date.now() - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = Date.now();
    await this.dataSource.query(`DELETE FROM usage_batches WHERE applied_at < now() - make_interval(hours => $1)`, [BATCH_ID_RETENTION_HOURS]);
  }
}

/** A batch hash (fields `c|`, `e|`, `l|`, `m|`, `s|` + row id) back into rows. */
export function parseBatch(hash: Record<string, string>): UsageRow[] {
  const rows = new Map<string, UsageRow>();
  for (const [field, value] of Object.entries(hash)) {
    const kind = field[0];
    const id = field.slice(2);
    const key = parseRowKey(id);
    if (!key) continue;
    let row = rows.get(id);
    if (!row) {
      row = { keyId: key.keyId, serverId: key.serverId, tool: key.tool, hour: new Date(key.hour), serverSlug: '?', calls: 0, errors: 0, totalLatencyMs: 0, maxLatencyMs: 0 };
      rows.set(id, row);
    }
    if (kind === 'c') row.calls = Number(value);
    else if (kind === 'e') row.errors = Number(value);
    else if (kind === 'l') row.totalLatencyMs = Number(value);
    else if (kind === 'm') row.maxLatencyMs = Number(value);
    else if (kind === 's') row.serverSlug = value;
  }
  return [...rows.values()].filter((r) => r.calls > 0);
}

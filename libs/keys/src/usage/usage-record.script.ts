import type { Redis } from 'ioredis';
import { mergeRow, rowKey, rowOf, type CallRecord, type UsageRow } from './usage-row.js';

/** One call waiting to be recorded: its usage (null for calls that count none) and its call-log entry as JSON. */
export interface PendingCall {
  call: CallRecord | null;
  /** The call-log entry as JSON ('' for none). */
  entry: string;
  at: number;
}

/** What the script returns. */
export const RECORDED = 1;
export const ALREADY_RECORDED = 0;
export const USAGE_PENDING_FULL = -1;
export const CALL_LOG_PENDING_FULL = -2;

// One atomic step per batch of calls: their usage, summed per key/server/tool/hour row (counts, errors, latency
// sum and max), and their call-log entries, plus the batch's bit in this hub's "seen" bitmap. A retry of a batch
// whose first attempt did reach Redis (reply lost, timed out) finds its bit and adds nothing, so retrying is always
// safe. The bounds are checked first: all of the batch is recorded, or none of it.
// ARGV: bit, ttl, maxFields, maxLogBytes, rows, then 6 values a row (id, slug, calls, errors, latency sum, latency
// max), then the entries. The pending-usage bound is checked exactly only near it (HEXISTS for each row then).
export const RECORD_BATCH_SCRIPT = `
if redis.call('GETBIT', KEYS[2], ARGV[1]) == 1 then return ${ALREADY_RECORDED} end
local rows = tonumber(ARGV[5])
local first = 6 + rows * 6
if rows > 0 then
  local room = tonumber(ARGV[3]) - redis.call('HLEN', KEYS[1])
  if room < 5 * rows then
    local fresh = 0
    for r = 0, rows - 1 do
      if redis.call('HEXISTS', KEYS[1], 'c|' .. ARGV[6 + r * 6]) == 0 then fresh = fresh + 1 end
    end
    if fresh > 0 and room < 5 * fresh then return ${USAGE_PENDING_FULL} end
  end
end
local bytes = 0
for i = first, #ARGV do bytes = bytes + #ARGV[i] end
if bytes > 0 and tonumber(redis.call('GET', KEYS[4]) or '0') + bytes > tonumber(ARGV[4]) then return ${CALL_LOG_PENDING_FULL} end
redis.call('SETBIT', KEYS[2], ARGV[1], 1)
redis.call('PEXPIRE', KEYS[2], ARGV[2])
for r = 0, rows - 1 do
  local at = 6 + r * 6
  local id = ARGV[at]
  redis.call('HINCRBY', KEYS[1], 'c|' .. id, ARGV[at + 2])
  redis.call('HINCRBY', KEYS[1], 'e|' .. id, ARGV[at + 3])
  redis.call('HINCRBYFLOAT', KEYS[1], 'l|' .. id, ARGV[at + 4])
  local m = tonumber(redis.call('HGET', KEYS[1], 'm|' .. id) or '-1')
  if tonumber(ARGV[at + 5]) > m then redis.call('HSET', KEYS[1], 'm|' .. id, ARGV[at + 5]) end
  redis.call('HSET', KEYS[1], 's|' .. id, ARGV[at + 1])
end
if first <= #ARGV then
  redis.call('RPUSH', KEYS[3], unpack(ARGV, first, #ARGV))
  redis.call('INCRBY', KEYS[4], bytes)
end
return ${RECORDED}
`;

export type UsageRecordingRedis = Redis & {
  mcphubUsageRecordBatch(pending: string, seen: string, logPending: string, logBytes: string, ...args: (string | number)[]): Promise<number>;
};

export function defineRecordBatch(redis: Redis): UsageRecordingRedis {
  if (!('mcphubUsageRecordBatch' in redis)) redis.defineCommand('mcphubUsageRecordBatch', { numberOfKeys: 4, lua: RECORD_BATCH_SCRIPT });
  return redis as UsageRecordingRedis;
}

/** The script's row and entry arguments for `calls`: usage summed per row (calls of one tool in one hour share one). */
export function batchArguments(calls: readonly PendingCall[]): (string | number)[] {
  const rows = new Map<string, UsageRow>();
  const entries: string[] = [];
  for (const { call, entry, at } of calls) {
    if (entry) entries.push(entry);
    if (!call) continue;
    const row = rowOf(call, at);
    const id = rowKey(row.keyId, row.serverId, row.hour.getTime(), row.tool);
    const held = rows.get(id);
    if (held) mergeRow(held, row);
    else rows.set(id, row);
  }
  const args: (string | number)[] = [rows.size];
  for (const [id, row] of rows) args.push(id, row.serverSlug, row.calls, row.errors, row.totalLatencyMs, row.maxLatencyMs);
  return args.concat(entries);
}

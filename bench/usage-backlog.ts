// The benches run no worker (its CPU would land on the machine being measured), so nothing moves the usage and call
// log that production hubs record in Redis on to PostgreSQL. At its bound (64 MB of waiting call log, about 140,000
// calls) a hub keeps calls in its own memory instead and skips the Redis round trip of every call: a cheaper path
// than production's, whose figures would flatter (bench:scale-out's 64-session rows did, in the run committed before
// this check). So the benches empty what waits in Redis between points, as a worker on another machine would, and
// refuse the figures of a hub that fell behind all the same.
import { Redis } from 'ioredis';
import { CALL_LOG_PENDING_BYTES_KEY, CALL_LOG_PENDING_KEY, USAGE_PENDING_KEY } from '../libs/keys/src/usage/redis-usage.sink.js';
import { sampleSum } from '../test/support/metrics-scrape.js';

/** Deletes the usage and call log waiting in Redis for a worker (between measured points only). */
export async function emptyWaitingUsage(redisUrl: string): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    await redis.del(CALL_LOG_PENDING_KEY, CALL_LOG_PENDING_BYTES_KEY, USAGE_PENDING_KEY);
  } finally {
    redis.disconnect();
  }
}

/**
 * Throws when the hub on `port` lost calls' usage, or (Redis mode) holds calls Redis did not take: its figures would
 * not be production's. A hub whose build has no such metrics (a BEFORE checkout) passes.
 */
export async function assertRecordingKeptUp(port: number | string, redisMode: boolean, label: string): Promise<void> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  if (!res.ok) throw new Error(`${label}: /metrics answered ${res.status}`);
  const text = await res.text();
  const dropped = sampleSum(text, 'mcphub_usage_dropped_calls_total') ?? 0;
  const unwritten = sampleSum(text, 'mcphub_usage_unwritten_calls') ?? 0;
  if (dropped > 0 || (redisMode && unwritten > 0)) {
    throw new Error(`${label}: the hub fell behind recording usage (${unwritten} calls held in its memory, ${dropped} lost): its figures would not be production's`);
  }
}

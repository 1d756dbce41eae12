import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { PINO } from '#core';

export interface CallRecord {
  keyId: string;
  serverId: string;
  serverSlug: string;
  tool: string;
  ok: boolean;
  latencyMs: number;
}

interface Aggregate {
  keyId: string;
  serverId: string;
  serverSlug: string;
  tool: string;
  hour: Date;
  calls: number;
  errors: number;
  totalLatencyMs: number;
  maxLatencyMs: number;
}

const FLUSH_EVERY_MS = 5_000;
const HOUR_MS = 3_600_000;
const MAX_ROWS_PER_INSERT = 500;

/** Aggregates calls in memory and upserts them every few seconds, so recording never slows a call. */
@Injectable()
export class UsageRecorder implements OnApplicationBootstrap, OnApplicationShutdown {
  private buffer = new Map<string, Aggregate>();
  private timer?: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly dataSource: DataSource,
    @Inject(PINO) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap() {
    this.timer = setInterval(() => void this.flush(), FLUSH_EVERY_MS);
    this.timer.unref();
  }

  async onApplicationShutdown() {
    clearInterval(this.timer);
    await this.flush();
  }

  record(call: CallRecord, now = Date.now()): void {
    const hour = Math.floor(now / HOUR_MS) * HOUR_MS;
    const id = `${call.keyId}|${call.serverId}|${call.tool}|${hour}`;
    let agg = this.buffer.get(id);
    if (!agg) {
      agg = { keyId: call.keyId, serverId: call.serverId, serverSlug: call.serverSlug, tool: call.tool, hour: new Date(hour), calls: 0, errors: 0, totalLatencyMs: 0, maxLatencyMs: 0 };
      this.buffer.set(id, agg);
    }
    agg.calls += 1;
    if (!call.ok) agg.errors += 1;
    agg.totalLatencyMs += call.latencyMs;
    agg.maxLatencyMs = Math.max(agg.maxLatencyMs, call.latencyMs);
  }

  /** Writes what is buffered; safe to call any time (flushes run one after another). */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.write());
    return this.flushing;
  }

  private async write(): Promise<void> {
    if (!this.buffer.size) return;
    const rows = [...this.buffer.values()];
    this.buffer = new Map();
    for (let i = 0; i < rows.length; i += MAX_ROWS_PER_INSERT) {
      const chunk = rows.slice(i, i + MAX_ROWS_PER_INSERT);
      const params: unknown[] = [];
      const values = chunk.map((r) => {
        params.push(r.keyId, r.serverId, r.tool, r.hour, r.serverSlug, r.calls, r.errors, r.totalLatencyMs, r.maxLatencyMs);
        const n = params.length - 9;
        return `($${n + 1}::uuid,$${n + 2}::uuid,$${n + 3}::text,$${n + 4}::timestamptz,$${n + 5}::text,$${n + 6}::int,$${n + 7}::int,$${n + 8}::float8,$${n + 9}::float8)`;
      });
      try {
        await this.dataSource.query(
          `INSERT INTO usage_hourly (key_id, server_id, tool, hour, server_slug, calls, errors, total_latency_ms, max_latency_ms)
           SELECT v.* FROM (VALUES ${values.join(',')}) AS v(key_id, server_id, tool, hour, server_slug, calls, errors, total_latency_ms, max_latency_ms)
           WHERE EXISTS (SELECT 1 FROM api_keys k WHERE k.id = v.key_id)
           ON CONFLICT (key_id, server_id, tool, hour) DO UPDATE SET
             calls = usage_hourly.calls + EXCLUDED.calls,
             errors = usage_hourly.errors + EXCLUDED.errors,
             total_latency_ms = usage_hourly.total_latency_ms + EXCLUDED.total_latency_ms,
             max_latency_ms = GREATEST(usage_hourly.max_latency_ms, EXCLUDED.max_latency_ms),
             server_slug = EXCLUDED.server_slug`,
          params,
        );
      } catch (error) {
        // Usage is best-effort accounting: log and keep serving rather than fail agents' calls.
        this.logger.error({ err: (error as Error).message, rows: chunk.length }, 'usage flush failed');
      }
    }
  }
}

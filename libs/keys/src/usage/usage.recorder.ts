import { Inject, Injectable, Optional, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { HUB_CONFIG, MetricsRegistry, PINO, REDIS, type HubConfig } from '#core';
import type { CallLogEntry } from '../call-log/call-log-entry.js';
import { EmbeddedUsageSink } from './embedded-usage.sink.js';
import { RedisUsageSink } from './redis-usage.sink.js';
import { registerUsageMetrics, type UsageBacklog } from './usage-metrics.js';
import type { CallRecord } from './usage-row.js';

export type { CallRecord } from './usage-row.js';

/**
 * Records every agent call (usage of forwarded tool calls, and the call-log entry of every call) without a database
 * query on the call path. Redis mode: recorded in Redis, one round trip, before the answer is sent (UsageMover moves
 * it to PostgreSQL). Embedded mode: held in memory and written every USAGE_FLUSH_INTERVAL_MS and at shutdown.
 */
@Injectable()
export class UsageRecorder implements UsageBacklog, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly sink: RedisUsageSink | EmbeddedUsageSink;

  constructor(
    dataSource: DataSource,
    @Inject(PINO) logger: Logger,
    @Inject(HUB_CONFIG) config: HubConfig,
    @Inject(REDIS) redis: Redis | null,
    @Optional() metrics?: MetricsRegistry,
  ) {
    const log = logger.child({ component: 'usage' });
    this.sink = redis
      ? new RedisUsageSink(redis, log, config.usage.flushIntervalMs)
      : new EmbeddedUsageSink(dataSource, log, config.usage.flushIntervalMs);
    if (metrics?.enabled) registerUsageMetrics(metrics, this);
  }

  get unwrittenCalls(): number {
    return this.sink instanceof EmbeddedUsageSink ? this.sink.bufferedEntries : this.sink.localCalls;
  }

  /** Calls whose usage was not counted because every buffer was full (see the README's usage limits). */
  get droppedUsage(): number {
    return this.sink.droppedCalls;
  }

  onApplicationBootstrap() {
    this.sink.start();
  }

  async onApplicationShutdown() {
    await this.sink.stop();
  }

  /** Call-log entries not recorded because every buffer was full. */
  get droppedLogEntries(): number {
    return this.sink instanceof EmbeddedUsageSink ? this.sink.droppedEntries : this.sink.droppedCalls;
  }

  /**
   * Await it before answering the call: in Redis mode it resolves once the call is recorded (or kept for a retry).
   * `call` is the usage of a forwarded tool call (null for calls that count no usage); `entry` its call-log entry.
   */
  async record(call: CallRecord | null, entry: CallLogEntry | null = null, now = Date.now()): Promise<void> {
    await this.sink.record(call, entry, now);
  }

  /** Writes (embedded) or retries (Redis) what this process still holds. Rejects when the write failed. */
  flush(): Promise<void> {
    return this.sink.flush();
  }
}

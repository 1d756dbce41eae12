import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import { HUB_CONFIG, type HubConfig } from '../config/hub-config.js';
import { PINO } from '../logging/logging.module.js';
import { OutageLog } from './outage-log.js';

/**
 * The shared Redis client, or null in embedded mode (callers fall back to in-memory state). It fails fast: every
 * command is bounded by REDIS_COMMAND_TIMEOUT_MS and, while the connection is down, rejected at once instead of
 * queued, so an agent's call never waits for an outage to end. Callers decide what a failure means.
 * BullMQ keeps its own patient connections (JobsModule).
 */
export const REDIS = Symbol('REDIS');

/** How long boot waits for the first connection; after that the hub starts anyway and commands fail fast. */
export const REDIS_BOOT_WAIT_MS = 5_000;

export function failFastRedisOptions(commandTimeoutMs: number): RedisOptions {
  return { commandTimeout: commandTimeoutMs, enableOfflineQueue: false, maxRetriesPerRequest: 1, enableAutoPipelining: true };
}

/** Options for a connection that must wait through reconnects (pub/sub subscriber): no timeout, commands queued. */
export const patientRedisOptions: RedisOptions = { commandTimeout: undefined, enableOfflineQueue: true, maxRetriesPerRequest: null };

export function createRedis(url: string, commandTimeoutMs = 500): Redis {
  return new Redis(url, { ...failFastRedisOptions(commandTimeoutMs), lazyConnect: false });
}

async function connectRedis(config: HubConfig, logger: Logger): Promise<Redis | null> {
  if (!config.redisUrl) return null;
  const redis = createRedis(config.redisUrl, config.redis.commandTimeoutMs);
  const outage = new OutageLog(logger, 'Redis connection');
  // A listener also keeps ioredis from printing every reconnect error to stderr.
  redis.on('error', (error: Error) => outage.failed(error));
  redis.on('ready', () => outage.recovered());
  // Without an offline queue, commands sent before the first 'ready' would fail: wait for it, but not forever.
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, REDIS_BOOT_WAIT_MS);
    timer.unref();
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  return redis;
}

@Injectable()
class RedisShutdown implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis | null) {}
  async onApplicationShutdown() {
    await this.redis?.quit().catch(() => this.redis?.disconnect());
  }
}

@Global()
@Module({
  providers: [{ provide: REDIS, inject: [HUB_CONFIG, PINO], useFactory: connectRedis }, RedisShutdown],
  exports: [REDIS],
})
export class RedisModule {}

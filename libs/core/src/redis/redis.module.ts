import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { HUB_CONFIG, type HubConfig } from '../config/hub-config.js';

/** The shared Redis client, or null in embedded mode (callers fall back to in-memory state). */
export const REDIS = Symbol('REDIS');

export function createRedis(url: string): Redis {
  // maxRetriesPerRequest: null lets commands wait through a reconnect instead of failing fast (BullMQ needs it too).
  return new Redis(url, { maxRetriesPerRequest: null, enableAutoPipelining: true, lazyConnect: false });
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
  providers: [
    { provide: REDIS, inject: [HUB_CONFIG], useFactory: (c: HubConfig) => (c.redisUrl ? createRedis(c.redisUrl) : null) },
    RedisShutdown,
  ],
  exports: [REDIS],
})
export class RedisModule {}

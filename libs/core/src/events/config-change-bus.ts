import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { REDIS } from '../redis/redis.module.js';

/** What changed. In-memory views (gateway routes, key cache) rebuild the affected part when they hear it. */
export interface ConfigChange {
  kind: 'server' | 'group' | 'api-key' | 'user' | 'routing-rule' | 'server-health';
  id: string;
  /** Small, non-secret facts about the change (e.g. a health transition). */
  detail?: Record<string, unknown>;
}

const CHANNEL = 'mcphub:config-changes';

/**
 * Tells every in-memory view that configuration changed: in this process at once, and in other hub replicas
 * through Redis pub/sub when Redis is configured.
 */
@Injectable()
export class ConfigChangeBus implements OnModuleInit, OnApplicationShutdown {
  private readonly local = new EventEmitter().setMaxListeners(0);
  private readonly origin = randomUUID();
  private subscriber?: Redis;

  constructor(@Inject(REDIS) private readonly redis: Redis | null) {}

  async onModuleInit() {
    if (!this.redis) return;
    this.subscriber = this.redis.duplicate();
    await this.subscriber.subscribe(CHANNEL);
    this.subscriber.on('message', (_channel: string, message: string) => {
      const { origin, change } = JSON.parse(message) as { origin: string; change: ConfigChange };
      if (origin !== this.origin) this.local.emit('change', change);
    });
  }

  async onApplicationShutdown() {
    await this.subscriber?.quit().catch(() => undefined);
  }

  async publish(change: ConfigChange): Promise<void> {
    this.local.emit('change', change);
    await this.redis?.publish(CHANNEL, JSON.stringify({ origin: this.origin, change }));
  }

  /** Returns an unsubscribe function. */
  subscribe(listener: (change: ConfigChange) => void): () => void {
    this.local.on('change', listener);
    return () => this.local.off('change', listener);
  }
}

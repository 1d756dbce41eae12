import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { REDIS } from '#core';

const PREFIX = 'mcphub:alerts:once:';
const MEMORY_LIMIT = 10_000;

/**
 * "Send this event once": the first process to claim a key wins for `ttlMs`. Redis makes it once across hubs;
 * without Redis (or while it is down) this process's memory does, so an outage may repeat a notification but
 * never loses one.
 */
@Injectable()
export class AlertOnce {
  private readonly memory = new Map<string, number>();

  constructor(@Inject(REDIS) private readonly redis: Redis | null) {}

  async claim(key: string, ttlMs: number, now = Date.now()): Promise<boolean> {
    if (this.redis) {
      try {
        return (await this.redis.set(PREFIX + key, '1', 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX')) === 'OK';
      } catch {
        // Fall through to memory.
      }
    }
    const until = this.memory.get(key);
    if (until !== undefined && until > now) return false;
    if (this.memory.size >= MEMORY_LIMIT) for (const [k, v] of this.memory) if (v <= now) this.memory.delete(k);
    this.memory.set(key, now + ttlMs);
    return true;
  }
}

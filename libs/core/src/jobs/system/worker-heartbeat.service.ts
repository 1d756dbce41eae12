import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { REDIS } from '../../redis/redis.module.js';

const KEY = 'mcphub:worker:heartbeat';

/** Last time a job processor ran the heartbeat job: lets /health/ready show whether background work runs. */
@Injectable()
export class WorkerHeartbeat {
  private last: number | null = null;

  constructor(@Inject(REDIS) private readonly redis: Redis | null) {}

  async beat(): Promise<number> {
    const now = Date.now();
    if (this.redis) await this.redis.set(KEY, String(now), 'EX', 3600);
    else this.last = now;
    return now;
  }

  async lastBeat(): Promise<number | null> {
    if (!this.redis) return this.last;
    const value = await this.redis.get(KEY);
    return value ? Number(value) : null;
  }
}

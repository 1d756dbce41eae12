import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { REDIS } from '#core';

/** Flows one client address may start per minute: every start writes a row, and nobody signs in 20 times a minute. */
export const SIGN_IN_STARTS_PER_MINUTE = 20;

/** Bounds unauthenticated writes on GET /auth/<provider>; shared by hub replicas through Redis, per hub without. */
@Injectable()
export class SignInStartThrottle {
  private readonly limiter: RateLimiterAbstract;

  constructor(@Inject(REDIS) redis: Redis | null) {
    const options = { keyPrefix: 'mcphub:sign-in-start', points: SIGN_IN_STARTS_PER_MINUTE, duration: 60 };
    this.limiter = redis
      ? // While Redis is out, each hub counts on its own rather than refusing every sign-in.
        new RateLimiterRedis({ ...options, storeClient: redis, insuranceLimiter: new RateLimiterMemory(options) })
      : new RateLimiterMemory(options);
  }

  /** Counts one start; false when the address is over the limit. */
  async allow(ip: string): Promise<boolean> {
    try {
      await this.limiter.consume(ip);
      return true;
    } catch (error) {
      if (error instanceof RateLimiterRes) return false;
      throw error;
    }
  }
}

import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { DomainError, ErrorCode, HUB_CONFIG, REDIS, type HubConfig } from '#core';

/** Counts failed sign-ins per (account, IP) and per IP; a success clears the pair. Shared across hubs via Redis. */
@Injectable()
export class LoginThrottle {
  private readonly perAccountAndIp: RateLimiterAbstract;
  private readonly perIp: RateLimiterAbstract;

  constructor(@Inject(HUB_CONFIG) config: HubConfig, @Inject(REDIS) redis: Redis | null) {
    const { maxFailures, windowSeconds } = config.login;
    const make = (keyPrefix: string, points: number) =>
      redis
        ? new RateLimiterRedis({ storeClient: redis, keyPrefix: `mcphub:${keyPrefix}`, points, duration: windowSeconds })
        : new RateLimiterMemory({ keyPrefix, points, duration: windowSeconds });
    this.perAccountAndIp = make('login-fail', maxFailures);
    this.perIp = make('login-fail-ip', maxFailures * 10);
  }

  async assertAllowed(email: string, ip: string): Promise<void> {
    const [pair, byIp] = await Promise.all([this.perAccountAndIp.get(`${email}|${ip}`), this.perIp.get(ip)]);
    const blocked = [pair, byIp].find(
      (r, i) => r && r.consumedPoints >= (i === 0 ? this.perAccountAndIp.points : this.perIp.points),
    );
    if (blocked) throw this.limited(blocked);
  }

  async recordFailure(email: string, ip: string): Promise<void> {
    await Promise.all([
      this.perAccountAndIp.penalty(`${email}|${ip}`, 1),
      this.perIp.penalty(ip, 1),
    ]);
  }

  async recordSuccess(email: string, ip: string): Promise<void> {
    await this.perAccountAndIp.delete(`${email}|${ip}`);
  }

  private limited(res: RateLimiterRes): DomainError {
    const retryAfterSeconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
    return new DomainError(
      ErrorCode.RATE_LIMITED,
      `Too many failed sign-in attempts; try again in ${retryAfterSeconds} s`,
      { retryAfterSeconds },
    );
  }
}

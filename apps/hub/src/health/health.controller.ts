import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { REDIS, WorkerHeartbeat } from '#core';

const CHECK_TIMEOUT_MS = 2_000;

function withTimeout<T>(work: Promise<T>): Promise<T> {
  return Promise.race([
    work,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timed out')), CHECK_TIMEOUT_MS).unref()),
  ]);
}

@Controller('health')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: Redis | null,
    private readonly heartbeat: WorkerHeartbeat,
  ) {}

  @Get('live')
  @HttpCode(200)
  live() {
    return { status: 'ok' };
  }

  /** Ready only when the database and (if configured) Redis answer; 503 names what failed. */
  @Get('ready')
  async ready(@Res({ passthrough: true }) res: Response) {
    const checks: Record<string, string> = {};
    checks.database = await withTimeout(this.dataSource.query('SELECT 1')).then(() => 'ok', (e: Error) => `down: ${e.message}`);
    if (this.redis) checks.redis = await withTimeout(this.redis.ping()).then(() => 'ok', (e: Error) => `down: ${e.message}`);
    const ok = Object.values(checks).every((v) => v === 'ok');
    res.status(ok ? 200 : 503);
    const lastBeat = await this.heartbeat.lastBeat().catch(() => null);
    return { status: ok ? 'ok' : 'unavailable', checks, workerHeartbeatAt: lastBeat ? new Date(lastBeat).toISOString() : null };
  }
}

import { Public } from '#auth';
import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { REDIS, WorkerHeartbeat, WORKER_HEARTBEAT_STALE_AFTER_MS } from '#core';

/** Each check's bound; they run in parallel, so the whole answer comes within about this long (under 1 s). */
export const READY_CHECK_TIMEOUT_MS = 800;

function withTimeout<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    work,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${READY_CHECK_TIMEOUT_MS} ms`)), READY_CHECK_TIMEOUT_MS);
      timer.unref();
    }),
  ]).finally(() => clearTimeout(timer));
}

const outcome = (work: Promise<unknown>): Promise<string> =>
  withTimeout(work).then(
    () => 'ok',
    (e: Error) => `down: ${e.message}`,
  );

/** Probes for load balancers and orchestrators: no credentials, nothing secret in the answers. */
@Public()
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

  /**
   * Ready only when the database and (with Redis) Redis and the worker's heartbeat are fine; 503 names what failed.
   * Embedded mode runs jobs in this process, so its heartbeat is informative only.
   */
  @Get('ready')
  async ready(@Res({ passthrough: true }) res: Response) {
    const lastBeat = withTimeout(this.heartbeat.lastBeat());
    const [database, redis, beat] = await Promise.all([
      outcome(this.dataSource.query('SELECT 1')),
      this.redis ? this.redisCheck(this.redis) : undefined,
      lastBeat.then(
        (at) => ({ at }),
        (e: Error) => ({ at: null, error: e.message }),
      ),
    ]);
    const checks: Record<string, string> = { database };
    if (redis) checks.redis = redis;
    if (this.redis) checks.workerHeartbeat = this.heartbeatCheck(beat.at, 'error' in beat ? beat.error : undefined);
    const ok = Object.values(checks).every((v) => v === 'ok');
    res.status(ok ? 200 : 503);
    return { status: ok ? 'ok' : 'unavailable', checks, workerHeartbeatAt: beat.at ? new Date(beat.at).toISOString() : null };
  }

  private async redisCheck(redis: Redis): Promise<string> {
    // The shared client fails fast while disconnected; say so plainly rather than quoting ioredis.
    if (redis.status !== 'ready') return `down: not connected (${redis.status})`;
    return outcome(redis.ping());
  }

  private heartbeatCheck(at: number | null, error?: string): string {
    if (error) return `unknown: cannot read it (${error})`;
    if (at === null) return 'stale: no worker heartbeat recorded (is the worker running?)';
    const age = Date.now() - at;
    if (age > WORKER_HEARTBEAT_STALE_AFTER_MS) return `stale: last worker heartbeat ${Math.round(age / 1000)} s ago (limit ${WORKER_HEARTBEAT_STALE_AFTER_MS / 1000} s)`;
    return 'ok';
  }
}

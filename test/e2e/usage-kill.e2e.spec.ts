import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { Redis } from 'ioredis';
import { databaseTargets, redisUrl } from '../support/database-targets.js';
import { testConfig } from '../support/test-config.js';
import { freePort, waitFor } from '../support/upstreams.js';
import { loggedCalls, recordedCalls, setUpLoadGroup, startAgentLoad } from '../support/usage-load.js';
import { startWorker } from '../support/worker-app.js';

const postgres = databaseTargets.find((t) => t.name === 'postgres');
// Needs the real thing: a hub process in Redis mode on PostgreSQL (.ci/run sets both variables).
const describeReal = postgres && redisUrl ? describe : describe.skip;
const AGENTS = 8;

describeReal('usage survives kill -9 of a hub under load (Redis mode)', () => {
  let db: { url: string; dispose(): Promise<void> };
  let redis: Redis;
  let hub: ChildProcess | undefined;
  let worker: INestApplicationContext | undefined;
  let hubLog = '';

  beforeAll(async () => {
    redis = new Redis(redisUrl!);
    await redis.flushdb();
    db = await postgres!.create({ migrated: true });
  });
  afterAll(async () => {
    hub?.kill('SIGKILL');
    await worker?.close();
    await redis?.quit();
    await db?.dispose();
  });

  it('should count every answered call in PostgreSQL once the worker has moved it', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    hub = spawn(process.execPath, ['--conditions=source', '--import', './test/support/swc-register.mjs', 'apps/hub/src/main.ts'], {
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'test',
        PORT: String(port),
        HOST: '127.0.0.1',
        PUBLIC_URL: url,
        DATABASE_URL: db.url,
        REDIS_URL: redisUrl,
        HUB_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
        JWT_SECRET: randomBytes(32).toString('hex'),
        ADMIN_EMAIL: 'admin@example.com',
        ADMIN_PASSWORD: 'admin-password-123',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    hub.stdout!.on('data', (c: Buffer) => (hubLog += c));
    hub.stderr!.on('data', (c: Buffer) => (hubLog += c));
    await waitFor(async () => hub!.exitCode === null && (await fetch(`${url}/health/live`)).ok, 90_000, `the hub process to listen (log: ${hubLog.slice(-500)})`);

    const { key } = await setUpLoadGroup(url);

    const load = await startAgentLoad(url, 'load', key.secret, AGENTS, 'everything__echo');
    await waitFor(() => load.answered() >= 400, 60_000, 'calls under load');
    hub.kill('SIGKILL');
    await load.stop();
    const answered = load.answered();

    // The mover runs in the worker, as in production; the dead hub held nothing that had to be written.
    const config = testConfig({ DATABASE_URL: db.url, REDIS_URL: redisUrl, USAGE_FLUSH_INTERVAL_MS: '200' });
    worker = await startWorker(config);
    await waitFor(
      async () => (await redis.exists('mcphub:usage:pending', 'mcphub:calllog:pending')) === 0 && (await redis.zcard('mcphub:usage:batches')) === 0,
      30_000,
      'the worker to move usage and the call log',
    );
    const recorded = await recordedCalls(db.url, key.id);
    const logged = await loggedCalls(db.url, key.id);

    console.info(`kill -9 under load: ${answered} calls answered, ${recorded} recorded, ${logged} in the call log (agents: ${AGENTS})`);
    // Usage and call-log entry are one step in Redis: both or neither.
    expect(logged).toBe(recorded);
    // Every answered call is counted. A call counted just before the kill may have lost its answer on the way:
    // at most one per agent (each agent has one call in flight).
    expect(recorded).toBeGreaterThanOrEqual(answered);
    expect(recorded).toBeLessThanOrEqual(answered + AGENTS);
  }, 180_000);
});

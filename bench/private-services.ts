// A production hub's services for a bench, private to the run: a database of its own on PostgreSQL (created and
// dropped) and a redis-server of its own on a free loopback port, so the Redis commands counted are the hubs' only.
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { createDatabase } from './loadtest-hub.js';
import { freePort } from '../test/support/upstreams.js';

export interface PrivateServices {
  /** A client on the private Redis (e.g. for INFO commandstats). */
  redis: Redis;
  /** The environment of a production hub on these services (admin bench@example.com / bench-password-123). */
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function startPrivateServices(adminUrl: string, label: string): Promise<PrivateServices> {
  const database = await createDatabase(adminUrl);
  const redisPort = await freePort();
  const redisServer = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const redis = new Redis(`redis://127.0.0.1:${redisPort}`, { retryStrategy: () => 100 });
  redis.on('error', () => undefined); // until redis-server listens
  await new Promise((resolve) => redis.once('ready', resolve));
  return {
    redis,
    env: {
      HOST: '127.0.0.1',
      DATA_DIR: mkdtempSync(join(tmpdir(), `mcphub-${label}-`)),
      ADMIN_EMAIL: 'bench@example.com',
      ADMIN_PASSWORD: 'bench-password-123',
      LOG_LEVEL: 'info',
      DATABASE_URL: database.url,
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      HUB_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      JWT_SECRET: randomBytes(32).toString('hex'),
      UPSTREAM_ALLOWED_HOSTS: '127.0.0.1',
    },
    async close() {
      redis.disconnect();
      redisServer.kill('SIGKILL');
      await database.drop().catch(() => undefined);
    },
  };
}

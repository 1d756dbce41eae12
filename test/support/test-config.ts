import { randomBytes } from 'node:crypto';
import { parseConfig, type HubConfig } from '#core';

/** A valid config for specs: explicit secrets, quiet logs, overridable per spec. */
export function testConfig(env: Record<string, string | undefined> = {}): HubConfig {
  return parseConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    HUB_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    JWT_SECRET: randomBytes(32).toString('hex'),
    ADMIN_EMAIL: 'admin@example.com',
    ADMIN_PASSWORD: 'admin-password-123',
    // Specs run their upstreams on loopback, which the egress policy refuses to members unless an admin allows it.
    UPSTREAM_ALLOWED_HOSTS: '127.0.0.1',
    // The least backup KDF cost (default 17, 8x dearer): backup specs derive dozens of keys; the default is unit-tested.
    BACKUP_KDF_COST: '14',
    // Cheap password hashes (NODE_ENV=test only; default 15, 32x dearer): specs sign in hundreds of times.
    PASSWORD_HASH_COST: '10',
    ...env,
  });
}

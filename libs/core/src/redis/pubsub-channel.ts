import type { Redis } from 'ioredis';

/**
 * A pub/sub channel's name for the Redis database `redis` uses. Redis shares channels across all databases of a
 * server (PUBLISH ignores SELECT), so hub clusters on one server but different databases — two environments, or
 * test runs side by side — would hear each other's messages. Database 0 keeps the bare name: hubs of an earlier
 * release, which used it, still hear this one's during a rolling upgrade. Without Redis (one hub): the bare name.
 */
export function pubSubChannel(redis: Redis | null, name: string): string {
  const db = redis?.options.db ?? 0;
  return db === 0 ? name : `${name}:db${db}`;
}

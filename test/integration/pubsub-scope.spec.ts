import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { ConfigChangeBus, createLogger, createRedis, type ConfigChange } from '#core';
import { SessionBus } from '../../libs/mcp-gateway/src/session/session-bus.js';
import { startPrivateRedis, type PrivateRedis } from '../support/private-redis.js';
import { waitFor } from '../support/upstreams.js';

const logger = createLogger('silent');

/**
 * Redis delivers a PUBLISH to subscribers of every database. Hub clusters on one redis-server but different
 * databases must not hear each other. A subscriber connection receives messages in publishing order, so once a
 * listener has heard a later message from its own database, an earlier one from the other database would have
 * arrived before it.
 */
describe('pub/sub channels scoped by Redis database (a private redis-server)', () => {
  let server: PrivateRedis;
  const clients: Redis[] = [];
  const client = (db: number) => {
    const redis = createRedis(server.url(db), 1_000);
    clients.push(redis);
    return redis;
  };

  beforeAll(async () => {
    server = await startPrivateRedis();
  });

  afterAll(async () => {
    clients.forEach((redis) => redis.disconnect());
    await server.kill();
  });

  it("should keep config changes within the hubs of one database (database 0's hubs neither hear nor are heard by database 3's)", async () => {
    const [zeroA, zeroB, threeA, threeB] = [0, 0, 3, 3].map((db) => new ConfigChangeBus(client(db), logger));
    await Promise.all([zeroA, zeroB, threeA, threeB].map((bus) => bus.onModuleInit()));
    const heard = (bus: ConfigChangeBus) => {
      const ids: string[] = [];
      bus.subscribe((change: ConfigChange, origin) => origin === 'remote' && ids.push(change.id));
      return ids;
    };
    const [byZeroB, byThreeB] = [heard(zeroB), heard(threeB)];

    await zeroA.publish({ kind: 'server', id: 'zero-1' });
    await waitFor(() => byZeroB.includes('zero-1'), 5_000, "database 0's change on its other hub");
    await threeA.publish({ kind: 'server', id: 'three-1' });
    await waitFor(() => byThreeB.includes('three-1'), 5_000, "database 3's change on its other hub");
    await zeroA.publish({ kind: 'server', id: 'zero-2' });
    await waitFor(() => byZeroB.includes('zero-2'), 5_000, "database 0's second change");

    expect(byThreeB).toEqual(['three-1']);
    expect(byZeroB).toEqual(['zero-1', 'zero-2']);
    await Promise.all([zeroA, zeroB, threeA, threeB].map((bus) => bus.onApplicationShutdown()));
  });

  it("should keep session announcements within the hubs of one database (an 'ended' session elsewhere ends nothing here)", async () => {
    const buses = [0, 0, 3, 3].map((db) => new SessionBus(client(db), logger));
    await Promise.all(buses.map((bus) => bus.onModuleInit()));
    const [zeroA, zeroB, threeA, threeB] = buses;
    const ended = (bus: SessionBus) => {
      const ids: string[] = [];
      bus.on('ended', (message) => ids.push(message.sessionId));
      return ids;
    };
    const [byZeroB, byThreeB] = [ended(zeroB), ended(threeB)];

    await zeroA.announce({ kind: 'ended', sessionId: 'zero-1' });
    await waitFor(() => byZeroB.includes('zero-1'), 5_000, "database 0's announcement on its other hub");
    await threeA.announce({ kind: 'ended', sessionId: 'three-1' });
    await waitFor(() => byThreeB.includes('three-1'), 5_000, "database 3's announcement on its other hub");
    await zeroA.announce({ kind: 'ended', sessionId: 'zero-2' });
    await waitFor(() => byZeroB.includes('zero-2'), 5_000, "database 0's second announcement");

    expect(byThreeB).toEqual(['three-1']);
    expect(byZeroB).toEqual(['zero-1', 'zero-2']);
    await Promise.all(buses.map((bus) => bus.onApplicationShutdown()));
  });
});

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

  /**
   * Database 0's first hub sends, then database 3's, then database 0's again; each database's second hub must have
   * heard exactly its own database's messages.
   */
  async function expectOwnDatabaseOnly(send: (db: 0 | 3, id: string) => Promise<void>, heard: Record<0 | 3, string[]>) {
    for (const [db, id] of [[0, 'zero-1'], [3, 'three-1'], [0, 'zero-2']] as const) {
      await send(db, id);
      await waitFor(() => heard[db].includes(id), 5_000, `${id} on database ${db}'s other hub`);
    }
    expect(heard).toEqual({ 0: ['zero-1', 'zero-2'], 3: ['three-1'] });
  }

  it("should keep config changes within the hubs of one database (database 0's hubs neither hear nor are heard by database 3's)", async () => {
    const buses = [0, 0, 3, 3].map((db) => new ConfigChangeBus(client(db), logger));
    await Promise.all(buses.map((bus) => bus.onModuleInit()));
    const [zeroA, zeroB, threeA, threeB] = buses;
    const heard = (bus: ConfigChangeBus) => {
      const ids: string[] = [];
      bus.subscribe((change: ConfigChange, origin) => origin === 'remote' && ids.push(change.id));
      return ids;
    };
    await expectOwnDatabaseOnly((db, id) => (db === 0 ? zeroA : threeA).publish({ kind: 'server', id }), { 0: heard(zeroB), 3: heard(threeB) });
    await Promise.all(buses.map((bus) => bus.onApplicationShutdown()));
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
    await expectOwnDatabaseOnly((db, sessionId) => (db === 0 ? zeroA : threeA).announce({ kind: 'ended', sessionId }), { 0: ended(zeroB), 3: ended(threeB) });
    await Promise.all(buses.map((bus) => bus.onApplicationShutdown()));
  });
});

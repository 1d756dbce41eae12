import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { createLogger, createRedis } from '#core';
import { SessionBus } from '../../libs/mcp-gateway/src/session/session-bus.js';
import { ConnectionOwners, OWNER_LEASE_MS } from '../../libs/mcp-gateway/src/upstream/forwarding/connection-owners.js';
import { startPrivateRedis, type PrivateRedis } from '../support/private-redis.js';

const logger = createLogger('silent');

/** One hub as far as claims go: its Redis client, its bus (whose channel says it is alive) and its claims. */
async function hubOn(url: string) {
  const redis = createRedis(url, 300);
  const bus = new SessionBus(redis, logger);
  await bus.onModuleInit();
  const owners = new ConnectionOwners(redis, bus, logger);
  const lost: string[] = [];
  owners.onLost((id) => lost.push(id));
  const renew = () => (owners as unknown as { renew(): Promise<void> }).renew();
  return {
    bus,
    owners,
    lost,
    renew,
    async stop() {
      await owners.onApplicationShutdown();
      await bus.onApplicationShutdown();
      redis.disconnect();
    },
  };
}

describe('ConnectionOwners (which hub runs a ONE_HUB server, on a private redis-server)', () => {
  let server: PrivateRedis;
  const hubs: Awaited<ReturnType<typeof hubOn>>[] = [];
  const hub = async () => {
    const h = await hubOn(server.url());
    hubs.push(h);
    return h;
  };

  beforeAll(async () => {
    server = await startPrivateRedis();
  });
  afterEach(async () => {
    await server.ensureUp();
    await Promise.all(hubs.splice(0).map((h) => h.stop().catch(() => undefined)));
  });
  afterAll(async () => {
    await server.kill();
  });

  it('should give a replica to the first hub that claims it and name that hub to the others', async () => {
    const [a, b] = [await hub(), await hub()];
    const replica = randomUUID();
    expect(await a.owners.claim(replica)).toBe(true);
    expect(await b.owners.claim(replica)).toBe(a.bus.hubId);
    expect(await a.owners.claim(replica)).toBe(true);
    expect([a.owners.holds(replica), b.owners.holds(replica)]).toEqual([true, false]);
  });

  it('should let another hub take a replica over at once when its holder is gone, lease or not', async () => {
    const [a, b] = [await hub(), await hub()];
    const replica = randomUUID();
    await a.owners.claim(replica);
    // Killed: its lease stands for seconds more, but nobody listens on its channel any longer.
    await a.bus.onApplicationShutdown();
    expect(await b.owners.claim(replica)).toBe(true);
    expect(await b.bus.listening(a.bus.hubId)).toBe(false);
  });

  it('should hand a replica over on release, and tell a holder whose lease ran out that another hub took it', async () => {
    const [a, b, c] = [await hub(), await hub(), await hub()];
    const [released, expired] = [randomUUID(), randomUUID()];
    await a.owners.claim(released);
    await a.owners.release(released);
    expect(await b.owners.claim(released)).toBe(true);

    await a.owners.claim(expired);
    // A holder that froze past its lease: the key expires, another hub claims it, the holder learns on renewal.
    const probe = new Redis(server.url());
    await probe.pexpire(`mcphub:owner:${expired}`, 1);
    await new Promise((resolve) => setImmediate(resolve));
    await waitGone(probe, `mcphub:owner:${expired}`);
    expect(await c.owners.claim(expired)).toBe(true);
    await a.renew();
    expect(a.lost).toEqual([expired]);
    expect(a.owners.holds(expired)).toBe(false);
    expect(await probe.pttl(`mcphub:owner:${expired}`)).toBeGreaterThan(OWNER_LEASE_MS - 2_000);
    probe.disconnect();
  });

  it('should keep a replica where it runs when its claim vanished with a Redis restart', async () => {
    const [a, b] = [await hub(), await hub()];
    const replica = randomUUID();
    await a.owners.claim(replica);
    await server.kill();
    await server.ensureUp();
    for (const h of [a, b]) await waitReady(h);
    await a.renew();
    expect(a.lost).toEqual([]);
    expect(await b.owners.claim(replica)).toBe(a.bus.hubId);
  });

  it('should run a replica on each hub while Redis is down, then keep one holder and move the others', async () => {
    const [a, b] = [await hub(), await hub()];
    const replica = randomUUID();
    await server.kill();
    // Agents keep being served: each hub that needs the connection runs it meanwhile.
    expect(await a.owners.claim(replica)).toBe(true);
    expect(await b.owners.claim(replica)).toBe(true);
    await server.ensureUp();
    for (const h of [a, b]) await waitReady(h);
    await a.renew();
    await b.renew();
    expect([a.lost, b.lost]).toEqual([[], [replica]]);
    expect([a.owners.holds(replica), b.owners.holds(replica)]).toEqual([true, false]);
  });
});

async function waitGone(redis: Redis, key: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while ((await redis.exists(key)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
}

/** The hub's clients reconnected to the restarted server (its bus listening again). */
async function waitReady(h: { bus: SessionBus }): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await h.bus.listening(h.bus.hubId).catch(() => false))) {
    if (Date.now() > deadline) throw new Error('hub did not reconnect to Redis');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { LEASE } from '../../libs/keys/src/quota/quota-lease.js';
import { GraphQLClient } from '../support/graphql-client.js';
import { startHub, startPeerHub, type RunningHub } from '../support/hub-app.js';
import { createGroup, createKey, registerServer } from '../support/hub-fixtures.js';
import { hubTargets } from '../support/hub-targets.js';
import { connectStreamable, rawPost } from '../support/mcp-clients.js';
import { freezeQuotaClock } from '../support/quota-clock.js';
import { everythingStdio } from '../support/upstreams.js';

const target = hubTargets.find((t) => t.name === 'postgres+redis');

type Rpc = { result?: unknown; error?: { code: number; message: string; data?: { retryAfterSeconds?: number; window?: string } } };
type Outcome = { hub: number; status: number; rpc: Rpc };

/** The JSON-RPC answer of a POST, sent as JSON or as one SSE event. */
function rpcOf(res: Awaited<ReturnType<typeof rawPost>>): Rpc {
  if (res.json) return res.json as Rpc;
  const data = res.text.split('\n').find((line) => line.startsWith('data: '));
  if (!data) throw new Error(`no JSON-RPC answer (HTTP ${res.status}): ${res.text.slice(0, 200)}`);
  return JSON.parse(data.slice('data: '.length)) as Rpc;
}

/**
 * Two hubs on one PostgreSQL and one Redis share a key's quota by leasing blocks of units from Redis: however many
 * agents call through however many hubs, never more than the limit is admitted, and when every hub has refused a
 * call the units are all spent: exactly the limit. Only with PostgreSQL + Redis (embedded mode is one hub).
 */
(target ? describe : describe.skip)('a quota shared by two hubs (leases from Redis)', () => {
  let hub: RunningHub;
  let second: INestApplication;
  let admin: GraphQLClient;
  const urls: string[] = [];
  const clients: Client[] = [];

  beforeAll(async () => {
    hub = await startHub(target!.database, target!.env);
    admin = new GraphQLClient(hub.url);
    await admin.login('admin@example.com', 'admin-password-123');
    const everything = await registerServer(admin, { name: 'everything', transport: 'STDIO', ...everythingStdio() });
    await createGroup(admin, 'main', [everything.id]);
    const peer = await startPeerHub(hub);
    second = peer.app;
    urls.push(hub.url, peer.url);
    // Both hubs count in the same minute, well inside it, whatever the wall clock does during the spec.
    freezeQuotaClock(hub.app);
    freezeQuotaClock(second);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await second?.close();
    await hub?.close();
  }, 60_000);

  /** An agent with its own session on hub `n`, firing `calls` tool calls one after another. */
  async function agent(n: number, secret: string) {
    const client = await connectStreamable(urls[n], 'main', secret);
    clients.push(client);
    const headers = { authorization: `Bearer ${secret}`, 'mcp-session-id': (client.transport as { sessionId?: string }).sessionId!, 'mcp-protocol-version': '2025-06-18' };
    let id = 1;
    return async (calls: number): Promise<Outcome[]> => {
      const outcomes: Outcome[] = [];
      for (let i = 0; i < calls; i++) {
        const body = JSON.stringify({ jsonrpc: '2.0', id: ++id, method: 'tools/call', params: { name: 'everything__echo', arguments: { message: `hub ${n} call ${i}` } } });
        const res = await rawPost(`${urls[n]}/mcp/main`, body, headers);
        outcomes.push({ hub: n, status: res.status, rpc: rpcOf(res) });
      }
      return outcomes;
    };
  }

  const admitted = (outcomes: Outcome[]) => outcomes.filter((o) => o.status === 200 && o.rpc.result !== undefined);
  const refused = (outcomes: Outcome[]) => outcomes.filter((o) => o.status === 429);

  function expectRateLimited(outcomes: Outcome[], limit: number) {
    for (const o of outcomes) {
      expect(o.rpc.error).toMatchObject({ code: -32029, message: expect.stringMatching(new RegExp(`^Rate limit exceeded: ${limit} tool calls per minute`)), data: { window: 'minute' } });
      expect(o.rpc.error!.data!.retryAfterSeconds).toBeGreaterThanOrEqual(1);
      expect(o.rpc.error!.data!.retryAfterSeconds).toBeLessThanOrEqual(60);
    }
  }

  it('should admit exactly the limit when agents on both hubs ask for more than it, and refuse the rest with retryAfterSeconds', async () => {
    const LIMIT = 60;
    const key = await createKey(admin, { perMinute: LIMIT });
    // Six agents per hub, 15 calls each: 90 per hub, more than the limit on each, all at once.
    const agents = await Promise.all(Array.from({ length: 12 }, (_, i) => agent(i % 2, key.secret)));
    const outcomes = (await Promise.all(agents.map((fire) => fire(15)))).flat();
    expect(outcomes).toHaveLength(180);
    expect(admitted(outcomes)).toHaveLength(LIMIT);
    expect(refused(outcomes)).toHaveLength(180 - LIMIT);
    expectRateLimited(refused(outcomes), LIMIT);
    // Both hubs refused calls: neither holds unspent units, so every leased unit was admitted.
    for (const n of [0, 1]) expect(refused(outcomes.filter((o) => o.hub === n)).length).toBeGreaterThan(0);
  }, 60_000);

  it('should admit at least limit − maxBlock while a quiet hub holds units, never more than the limit, and the rest once it shuts down', async () => {
    const LIMIT = 30;
    const key = await createKey(admin, { perMinute: LIMIT });
    // A few calls on the second hub leave it holding units of a lease; then it goes quiet.
    const quiet = await (await agent(1, key.secret))(5);
    expect(admitted(quiet)).toHaveLength(5);
    const busy = await Promise.all(Array.from({ length: 3 }, () => agent(0, key.secret)));
    const first = (await Promise.all(busy.map((fire) => fire(15)))).flat();
    const before = admitted(quiet).length + admitted(first).length;
    // Below the limit: the busy hub was refused while the quiet one held units (leases of 1, 2 and 4: 2 unspent).
    expect(before).toBeLessThan(LIMIT);
    expect(before).toBeGreaterThanOrEqual(LIMIT - LEASE.maxBlock);
    expectRateLimited(refused(first), LIMIT);
    // Shutting down gives the quiet hub's unspent units back: the busy hub admits exactly those.
    await second.close();
    const after = (await Promise.all(busy.map((fire) => fire(5)))).flat();
    expect(before + admitted(after).length).toBe(LIMIT);
    expectRateLimited(refused(after), LIMIT);
  }, 60_000);
});

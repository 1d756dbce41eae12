import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { ConfigChangeBus, type HubConfig } from '#core';
import { createHubApp } from '../../apps/hub/src/create-hub-app.js';
import { GraphQLClient } from '../support/graphql-client.js';
import { startHub, type RunningHub } from '../support/hub-app.js';
import { hubTargetRows } from '../support/hub-targets.js';
import { createKey, registerServer } from '../support/hub-fixtures.js';
import { connectStreamable, rawPost } from '../support/mcp-clients.js';
import { startTcpProxy } from '../support/tcp-proxy.js';
import { everythingStdio, waitFor } from '../support/upstreams.js';

const ADMIN = { email: 'admin@example.com', password: 'admin-password-123' };
/** Enough rounds that a view updated after the mutation answered would lose the race at least once. */
const ROUNDS = 6;
const INIT = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'freshness', version: '1' } },
});

const toolNames = async (client: Awaited<ReturnType<typeof connectStreamable>>) => (await client.listTools()).tools.map((t) => t.name).sort();

/**
 * A mutation's answer is what the gateway of the hub that ran it already serves: an agent's very next MCP call
 * sees the new group, its new server and its new tool filter, with no wait in between. Other hubs learn through
 * the config bus (Redis) a moment later.
 */
describe.each(hubTargetRows)('gateway view after a mutation (%s)', (_name, target) => {
  let hub: RunningHub;
  let admin: GraphQLClient;
  let secret: string;

  beforeAll(async () => {
    hub = await startHub(target.database, target.env);
    admin = new GraphQLClient(hub.url);
    await admin.login(ADMIN.email, ADMIN.password);
    ({ secret } = await createKey(admin));
  }, 120_000);

  afterAll(async () => {
    await hub?.close();
  });

  it('should serve every change to the very next MCP call', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const slug = `fresh-${round}`;
      const { createGroup: group } = await admin.data<{ createGroup: { id: string } }>('mutation($i: CreateGroupInput!){ createGroup(input: $i){ id } }', {
        i: { name: slug, slug, toolNaming: 'PREFIX_ALWAYS' },
      });
      // createGroup → the endpoint exists (no 404) and the group is empty.
      const agent = await connectStreamable(hub.url, slug, secret);
      expect(await toolNames(agent)).toEqual([]);

      // registerServer + addServerToGroup → the server's tools are listed and callable.
      const server = await registerServer(admin, { name: `fresh ${round}`, slug: `fresh${round}`, transport: 'STDIO', ...everythingStdio() });
      await admin.data('mutation($g: ID!, $s: ID!){ addServerToGroup(groupId: $g, serverId: $s){ id } }', { g: group.id, s: server.id });
      expect(await toolNames(agent)).toEqual(expect.arrayContaining([`${server.slug}__echo`, `${server.slug}__get-sum`]));
      const echoed = await agent.callTool({ name: `${server.slug}__echo`, arguments: { message: `round ${round}` } });
      expect(JSON.stringify(echoed.content)).toContain(`round ${round}`);

      // updateGroup(toolFilter) → only the allowed tool is listed, the others are unknown.
      await admin.data('mutation($id: ID!, $i: UpdateGroupInput!){ updateGroup(id: $id, input: $i){ id } }', {
        id: group.id,
        i: { toolFilterMode: 'ALLOW', toolFilter: [`${server.slug}__echo`] },
      });
      expect(await toolNames(agent)).toEqual([`${server.slug}__echo`]);
      await expect(agent.callTool({ name: `${server.slug}__get-sum`, arguments: { a: 1, b: 2 } })).rejects.toThrow(/Unknown tool/);
      await agent.close();

      // removeGroup → the endpoint is gone at once; removing the server stops its process.
      await admin.data('mutation($id: ID!){ removeGroup(id: $id) }', { id: group.id });
      expect((await rawPost(`${hub.url}/mcp/${slug}`, INIT, { authorization: `Bearer ${secret}`, accept: 'application/json, text/event-stream' })).status).toBe(404);
      await admin.data('mutation($id: ID!){ removeServer(id: $id) }', { id: server.id });
    }
  }, 180_000);

  if (target.name !== 'postgres+redis') return;

  it('should reach another hub on the same database through the config bus', async () => {
    let other: INestApplication | undefined;
    try {
      other = await createHubApp(hub.config, { schemaFile: false });
      await other.listen(0, '127.0.0.1');
      const otherUrl = `http://127.0.0.1:${(other.getHttpServer().address() as AddressInfo).port}`;
      const slug = 'heard-elsewhere';
      await admin.data('mutation($i: CreateGroupInput!){ createGroup(input: $i){ id } }', { i: { name: slug, slug } });
      const status = () => rawPost(`${otherUrl}/mcp/${slug}`, INIT, { authorization: `Bearer ${secret}`, accept: 'application/json, text/event-stream' });
      await waitFor(async () => (await status()).status === 200, 10_000, 'the other hub to serve the new group');
    } finally {
      await other?.close();
    }
  }, 120_000);

  /** Another hub on the same database and Redis, its URL, and a way to ask it to initialize with a key. */
  const startOther = async (config: HubConfig) => {
    const app = await createHubApp(config, { schemaFile: false });
    await app.listen(0, '127.0.0.1');
    const url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    const initialize = async (key: string) => (await rawPost(`${url}/mcp/${slug}`, INIT, { authorization: `Bearer ${key}`, accept: 'application/json, text/event-stream' })).status;
    return { app, initialize };
  };
  const slug = 'healing';
  /** Revokes a key in the database only: no hub hears of it, as when its pub/sub message is lost. */
  const revokeUnheard = (keyId: string) => hub.app.get(DataSource).query('UPDATE api_keys SET revoked_at = now() WHERE id = $1', [keyId]);

  it('should heal a hub that missed a change: the revision counter moved without a message it heard', async () => {
    await admin.data('mutation($i: CreateGroupInput!){ createGroup(input: $i){ id } }', { i: { name: slug, slug } });
    const other = await startOther(hub.config);
    const redis = new Redis(hub.config.redisUrl!);
    try {
      const key = await createKey(admin);
      await waitFor(async () => (await other.initialize(key.secret)) === 200, 10_000, 'the other hub to accept the key');
      // The change is published (the counter moves) but its message never reaches any subscriber.
      await revokeUnheard(key.id);
      await redis.incr('mcphub:config-revision');
      // Within two checks of the counter (1 s each); the key cache alone would hold it for API_KEY_CACHE_SECONDS (60).
      await waitFor(async () => (await other.initialize(key.secret)) === 401, 5_000, 'the other hub to notice the missed change');
    } finally {
      await redis.quit();
      await other.app.close();
    }
  }, 60_000);

  (target.env.REDIS_URL ? it : it.skip)('should keep answering agents with the keys it holds when it heals during a database outage', async () => {
    const database = new URL(hub.config.databaseUrl!);
    const proxy = await startTcpProxy(database.hostname, Number(database.port || 5432));
    const other = await startOther({ ...hub.config, databaseUrl: proxy.url(hub.config.databaseUrl!) });
    const redis = new Redis(hub.config.redisUrl!);
    try {
      const key = await createKey(admin);
      await waitFor(async () => (await other.initialize(key.secret)) === 200, 10_000, 'the other hub to accept the key');
      let healed = false;
      other.app.get(ConfigChangeBus).subscribe((change) => (healed ||= change.kind === 'api-key' && change.id === '*'));
      // The database goes away, and a change is published whose message this hub never hears: it reloads every view.
      proxy.cut();
      await redis.incr('mcphub:config-revision');
      await waitFor(() => healed, 5_000, 'the other hub to reload every view');
      expect(await other.initialize(key.secret)).toBe(200);
      expect(await other.initialize(key.secret)).toBe(200);
    } finally {
      proxy.restore();
      await redis.quit();
      await other.app.close();
      await proxy.close();
    }
  }, 60_000);

  it('should read a cached key again after API_KEY_CACHE_SECONDS, even when nothing at all was heard', async () => {
    const other = await startOther({ ...hub.config, gateway: { ...hub.config.gateway, apiKeyCacheSeconds: 1 } });
    try {
      const key = await createKey(admin);
      await waitFor(async () => (await other.initialize(key.secret)) === 200, 10_000, 'the other hub to accept the key');
      await revokeUnheard(key.id);
      await waitFor(async () => (await other.initialize(key.secret)) === 401, 5_000, 'the cached key to expire');
    } finally {
      await other.app.close();
    }
  }, 60_000);
});

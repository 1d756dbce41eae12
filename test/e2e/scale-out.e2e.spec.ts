import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import type { Server } from 'node:http';
import { Client as V2Client, StreamableHTTPClientTransport as V2Transport } from '@modelcontextprotocol/client';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CreateMessageRequestSchema, ResourceUpdatedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { SessionRegistry } from '#mcp-gateway';
import { GraphQLClient } from '../support/graphql-client.js';
import { startHub, startPeerHub, type RunningHub } from '../support/hub-app.js';
import { createGroup, createKey, registerServer } from '../support/hub-fixtures.js';
import { hubTargets } from '../support/hub-targets.js';
import { connectSse, connectStreamable, rawPost } from '../support/mcp-clients.js';
import { startRoundRobinProxy, type RoundRobinProxy } from '../support/round-robin-proxy.js';
import { everythingStdio, waitFor } from '../support/upstreams.js';

type ToolResult = { content: { type: string; text?: string }[] };
const text = (r: unknown) => (r as ToolResult).content.map((c) => c.text ?? '').join('');
const target = hubTargets.find((t) => t.name === 'postgres+redis');
const INIT = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'scale-out', version: '1' } },
});
const sessionIdOf = (client: Client) => (client.transport as StreamableHTTPClientTransport).sessionId;

/**
 * Three hubs on one PostgreSQL and one Redis behind a plain round-robin balancer (no affinity): every request of a
 * session lands on the next hub. Agents of both eras and legacy SSE work through it, and keep working, without
 * re-initializing, when one hub dies under load. Only with PostgreSQL + Redis (embedded mode is one hub).
 */
(target ? describe : describe.skip)('hub replicas behind a round-robin balancer', () => {
  let hub: RunningHub;
  const others: INestApplication[] = [];
  let proxy: RoundRobinProxy;
  let secret: string;
  let admin: GraphQLClient;
  let quietGroupId: string;
  const hubUrls: string[] = [];
  const clients: { close(): Promise<void> }[] = [];
  const track = <T extends { close(): Promise<void> }>(client: T) => (clients.push(client), client);

  beforeAll(async () => {
    hub = await startHub(target!.database, target!.env);
    admin = new GraphQLClient(hub.url);
    await admin.login('admin@example.com', 'admin-password-123');
    const everything = await registerServer(admin, { name: 'everything', transport: 'STDIO', ...everythingStdio() });
    await createGroup(admin, 'main', [everything.id]);
    quietGroupId = (await createGroup(admin, 'quiet', [])).id;
    secret = (await createKey(admin)).secret;
    const urls = [hub.url];
    for (let i = 0; i < 2; i++) {
      const peer = await startPeerHub(hub);
      others.push(peer.app);
      urls.push(peer.url);
    }
    hubUrls.push(...urls);
    proxy = await startRoundRobinProxy(urls);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await proxy?.close();
    await Promise.all(others.map((app) => app.close().catch(() => undefined)));
    await hub?.close();
  }, 60_000);

  it('should serve a 2025-era Streamable HTTP session whose requests land on every hub', async () => {
    const before = [...proxy.stats.perBackend];
    const agent = track(await connectStreamable(proxy.url, 'main', secret));
    const id = sessionIdOf(agent);
    for (let i = 0; i < 6; i++) {
      expect((await agent.listTools()).tools.map((t) => t.name)).toContain('everything__echo');
      expect(text(await agent.callTool({ name: 'everything__echo', arguments: { message: `call ${i}` } }))).toContain(`call ${i}`);
    }
    expect(sessionIdOf(agent)).toBe(id);
    // Round robin: each hub served a share of this one session's requests.
    proxy.stats.perBackend.forEach((count, i) => expect(count - before[i]).toBeGreaterThanOrEqual(4));
  }, 60_000);

  it('should send list_changed on a stream held by the hub that opened the session after another hub heard initialized', async () => {
    const headers = { authorization: `Bearer ${secret}`, accept: 'application/json, text/event-stream', 'content-type': 'application/json' };
    const init = await rawPost(`${hubUrls[0]}/mcp/quiet`, INIT, headers);
    const sessionId = init.headers.get('mcp-session-id')!;
    const sessionHeaders = { ...headers, 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-06-18' };
    expect((await rawPost(`${hubUrls[1]}/mcp/quiet`, JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }), sessionHeaders)).status).toBe(202);
    const stream = await fetch(`${hubUrls[0]}/mcp/quiet`, { headers: { ...sessionHeaders, accept: 'text/event-stream' } });
    expect(stream.status).toBe(200);
    const reader = stream.body!.getReader();
    let seen = '';
    const reading = (async () => {
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) seen += new TextDecoder().decode(chunk.value);
    })().catch(() => undefined);
    // The hub that opened the session learns of initialized through Redis; until then it sends nothing.
    await waitFor(async () => {
      await admin.data('mutation($id: ID!, $i: UpdateGroupInput!){ updateGroup(id: $id, input: $i){ id } }', { id: quietGroupId, i: { name: `quiet ${Date.now()}` } });
      return seen.includes('notifications/tools/list_changed');
    }, 10_000, 'list_changed on the stream');
    await reader.cancel();
    await reading;
  }, 30_000);

  it('should cancel a call held by one hub when the agent\'s notifications/cancelled lands on another', async () => {
    const headers = { authorization: `Bearer ${secret}`, accept: 'application/json, text/event-stream', 'content-type': 'application/json' };
    const sessionId = (await rawPost(`${hubUrls[0]}/mcp/main`, INIT, headers)).headers.get('mcp-session-id')!;
    const sessionHeaders = { ...headers, 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-06-18' };
    await rawPost(`${hubUrls[0]}/mcp/main`, JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }), sessionHeaders);
    const started = Date.now();
    const slow = { jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'everything__trigger-long-running-operation', arguments: { duration: 20, steps: 2 } } };
    const call = rawPost(`${hubUrls[0]}/mcp/main`, JSON.stringify(slow), sessionHeaders);
    await waitFor(() => hub.app.get(SessionRegistry).get(sessionId)?.inflight.get(7)?.upstreamId !== undefined, 10_000, 'the call on hub 0');
    const cancel = { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 7, reason: 'the user changed their mind' } };
    expect((await rawPost(`${hubUrls[1]}/mcp/main`, JSON.stringify(cancel), sessionHeaders)).status).toBe(202);
    expect((await call).text).toContain('Request cancelled by the client');
    expect(Date.now() - started).toBeLessThan(15_000);
  }, 30_000);

  it('should bring resource updates heard on other hubs to the agent\'s stream', async () => {
    const agent = track(await connectStreamable(proxy.url, 'main', secret));
    const updates = new Map<string, number>();
    agent.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => void updates.set(n.params.uri, (updates.get(n.params.uri) ?? 0) + 1));
    const uris = (await agent.listResources()).resources.slice(0, 2).map((r) => r.uri);
    expect(uris).toHaveLength(2);
    // Consecutive requests land on consecutive hubs: at least one subscription is held away from the GET stream.
    for (const uri of uris) await agent.subscribeResource({ uri });
    // Each hub runs its own copy of the server: switch its simulated updates on there (sent at once, then every 5 s).
    const direct = await Promise.all(hubUrls.map((url) => connectStreamable(url, 'main', secret)));
    direct.forEach(track);
    for (const client of direct) await client.callTool({ name: 'everything__toggle-subscriber-updates', arguments: {} });
    // The first update may ride on a call's answer; the timed ones have only the stream to travel on.
    await waitFor(() => uris.every((uri) => (updates.get(uri) ?? 0) >= 2), 15_000, 'timed updates of both resources');
    for (const client of direct) await client.callTool({ name: 'everything__toggle-subscriber-updates', arguments: {} });
    for (const uri of uris) await agent.unsubscribeResource({ uri });
  }, 30_000);

  it('should relay sampling when the agent\'s answer lands on another hub than the call', async () => {
    const agent = track(await connectStreamable(proxy.url, 'main', secret, { capabilities: { sampling: {} } }));
    agent.setRequestHandler(CreateMessageRequestSchema, async () => ({
      model: 'agent-model',
      role: 'assistant',
      content: { type: 'text', text: 'sampled by the agent' },
    }));
    // Three calls: the answers' POSTs land on each hub in turn, at least two of them not the call's hub.
    for (let i = 0; i < 3; i++) {
      const result = await agent.callTool({ name: 'everything__trigger-sampling-request', arguments: { prompt: `hello ${i}`, maxTokens: 20 } });
      expect(text(result)).toContain('sampled by the agent');
    }
  }, 60_000);

  it('should serve a legacy SSE session whose POSTs land on other hubs than its stream', async () => {
    const agent = track(await connectSse(proxy.url, 'main', secret));
    for (let i = 0; i < 6; i++) {
      expect(text(await agent.callTool({ name: 'everything__echo', arguments: { message: `sse ${i}` } }))).toContain(`sse ${i}`);
    }
    expect((await agent.listTools()).tools.map((t) => t.name)).toContain('everything__echo');
  }, 60_000);

  it('should serve 2026-07-28 stateless requests and the SDK v2 client on any hub', async () => {
    const agent = new V2Client({ name: 'v2-scale', version: '1.0.0' }, { capabilities: {}, versionNegotiation: { mode: 'auto' } });
    await agent.connect(new V2Transport(new URL(`${proxy.url}/mcp/main`), { requestInit: { headers: { authorization: `Bearer ${secret}` } } }));
    track(agent);
    expect(agent.getNegotiatedProtocolVersion()).toBe('2026-07-28');
    for (let i = 0; i < 3; i++) expect(text(await agent.callTool({ name: 'everything__echo', arguments: { message: `v2 ${i}` } }))).toContain(`v2 ${i}`);
  }, 60_000);

  it('should continue a stateless call held by one hub when the agent\'s next round lands on another', async () => {
    const agent = new V2Client({ name: 'v2-rounds', version: '1.0.0' }, { capabilities: { elicitation: {} }, versionNegotiation: { mode: 'auto' } });
    agent.setRequestHandler('elicitation/create', async () => ({ action: 'accept', content: { name: 'Grace' } }));
    await agent.connect(new V2Transport(new URL(`${proxy.url}/mcp/main`), { requestInit: { headers: { authorization: `Bearer ${secret}` } } }));
    track(agent);
    // The 2025 server's question holds the call on the hub that ran it; three rounds: at least two land elsewhere.
    for (let i = 0; i < 3; i++) expect(text(await agent.callTool({ name: 'everything__trigger-elicitation-request', arguments: {} }))).toContain('Name: Grace');
  }, 60_000);

  it('should keep every session working without re-initializing when a hub dies under load', async () => {
    const agents = await Promise.all(Array.from({ length: 6 }, () => connectStreamable(proxy.url, 'main', secret)));
    agents.forEach(track);
    const ids = agents.map(sessionIdOf);
    let calls = 0;
    let killed = false;
    const failures: string[] = [];
    const load = agents.map(async (agent, n) => {
      for (let i = 0; i < 40; i++) {
        try {
          const result = await agent.callTool({ name: 'everything__echo', arguments: { message: `${n}/${i}` } });
          if (!text(result).includes(`${n}/${i}`)) failures.push(`wrong answer ${n}/${i}`);
        } catch (error) {
          failures.push(`${n}/${i}: ${(error as Error).message}`);
        }
        calls++;
      }
    });
    // Killed mid-load: its connections (calls in flight among them) are cut, then it stops.
    const victim = others[1];
    const kill = (async () => {
      while (calls < 60) await new Promise((resolve) => setImmediate(resolve));
      (victim.getHttpServer() as Server).closeAllConnections();
      await victim.close();
      killed = true;
    })();
    await Promise.all([...load, kill]);
    expect(killed).toBe(true);
    expect(failures).toEqual([]);
    expect(calls).toBe(240);
    expect(agents.map(sessionIdOf)).toEqual(ids);
    others.splice(1, 1);
  }, 120_000);
});

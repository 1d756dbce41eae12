import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client as ClientV2, StreamableHTTPClientTransport as TransportV2 } from '@modelcontextprotocol/client';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ElicitRequestSchema, ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { EGRESS_REFUSED_TEXT, type EgressResolver } from '#servers';
import { databaseTargets } from '../support/database-targets.js';
import { GraphQLClient } from '../support/graphql-client.js';
import { startHub, type RunningHub } from '../support/hub-app.js';
import { createGroup, createKey, registerServer } from '../support/hub-fixtures.js';
import { connectStreamable } from '../support/mcp-clients.js';
import { startStatelessUpstream, type StatelessUpstream } from '../support/stateless-upstream.js';
import { everythingStdio, startEverythingHttp, waitFor } from '../support/upstreams.js';

/**
 * Upstream protocol eras: the hub asks Streamable HTTP servers `server/discover`, talks 2026-07-28 (stateless,
 * per-request `_meta` and headers) to those that serve it and the 2025 era to the others, and bridges a 2025-era
 * agent session (SDK 1.x client) in front of a 2026-only server (SDK v2, refuses initialize).
 */

const ADMIN = { email: 'admin@example.com', password: 'admin-password-123' };
const text = (result: unknown) => JSON.stringify(result);
// Members' servers may not reach loopback: `modern.test` plays an internal name that resolves to it.
const resolver: EgressResolver = async (name) => {
  if (name === 'modern.test') return [{ address: '127.0.0.1', family: 4 }];
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
};

describe('upstream protocol eras (e2e)', () => {
  let hub: RunningHub;
  let admin: GraphQLClient;
  let modern: StatelessUpstream;
  let modernId: string;
  let everythingId: string;
  let secret: string;
  const clients: Client[] = [];

  const runtime = async (id: string) =>
    (await admin.data<{ server: { runtime: { protocolVersion: string | null; connected: boolean }[] } }>('query($id: ID!){ server(id: $id){ runtime { protocolVersion connected } } }', { id }))
      .server.runtime[0];
  const agent = async (capabilities: Record<string, unknown> = {}) => {
    const client = await connectStreamable(hub.url, 'eras', secret, { capabilities });
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    modern = await startStatelessUpstream('modern');
    // Loopback is not allowed here (the test config allows it for other specs): members' servers may not reach it.
    hub = await startHub(databaseTargets[0], { UPSTREAM_ALLOWED_HOSTS: 'allowed.test' }, { egressResolver: resolver });
    admin = new GraphQLClient(hub.url);
    await admin.login(ADMIN.email, ADMIN.password);
    modernId = (await registerServer(admin, { name: 'Modern', slug: 'modern', transport: 'STREAMABLE_HTTP', url: modern.url })).id;
    everythingId = (await registerServer(admin, { name: 'Everything', slug: 'everything', transport: 'STDIO', ...everythingStdio() })).id;
    const group = await createGroup(admin, 'eras', [modernId, everythingId]);
    secret = (await createKey(admin, { groupIds: [group.id] })).secret;
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await hub?.close();
    await modern?.stop();
  });

  it('should speak 2026-07-28 to the server that discovers as such and the 2025 era to stdio, through one 2025 session', async () => {
    const client = await agent();
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['modern__confirm', 'modern__count', 'modern__unlock', 'everything__echo']));
    expect(text(await client.callTool({ name: 'everything__echo', arguments: { message: 'old era' } }))).toContain('old era');

    expect(await runtime(modernId)).toEqual({ protocolVersion: '2026-07-28', connected: true });
    // The admin's "test" discovers it the same way (it refuses initialize).
    const { testServer } = await admin.data<{ testServer: { ok: boolean; protocolVersion: string; toolCount: number; serverName: string } }>(
      'mutation($id: ID!){ testServer(id: $id){ ok protocolVersion toolCount serverName } }',
      { id: modernId },
    );
    expect(testServer).toEqual({ ok: true, protocolVersion: '2026-07-28', toolCount: 6, serverName: 'stateless-fixture' });
    expect((await runtime(everythingId)).protocolVersion).toMatch(/^2025-/);
    // Discovered, never initialized; every request carries the revision in headers and `_meta`.
    expect(modern.seen[0].method).toBe('server/discover');
    expect(modern.seen.map((s) => s.method)).not.toContain('initialize');
    const list = modern.seen.find((s) => s.method === 'tools/list')!;
    expect(list.headers).toMatchObject({ 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/list' });
    expect(list.meta).toMatchObject({ 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientInfo': { name: 'mcp-hub' } });
  });

  it("should bridge the server's InputRequiredResult to the 2025 session's elicitation/create and return the final result", async () => {
    const client = await agent({ elicitation: {} });
    const asked: string[] = [];
    client.setRequestHandler(ElicitRequestSchema, async (request) => {
      asked.push(String(request.params.message));
      return { action: 'accept', content: { ok: true } };
    });
    const result = await client.callTool({ name: 'modern__confirm', arguments: { action: 'deploy' } });
    expect(asked).toEqual(['Really deploy?']);
    // The second round carried the answer and the server's own requestState, unchanged.
    expect(text(result)).toContain('did deploy (state pending:deploy)');
    const calls = modern.seen.filter((s) => s.method === 'tools/call' && s.headers['mcp-name'] === 'confirm');
    expect(calls.length).toBeGreaterThanOrEqual(2);
    expect(calls.at(-1)!.meta?.['io.modelcontextprotocol/clientCapabilities']).toEqual({ elicitation: {} });
  });

  it("should pass the server's InputRequiredResult to a 2026 agent (SDK v2 client) and its answers back, with the server's own requestState", async () => {
    const client = new ClientV2({ name: 'v2-agent', version: '1.0.0' }, { capabilities: { elicitation: {} }, versionNegotiation: { mode: 'auto' } });
    await client.connect(new TransportV2(new URL(`${hub.url}/mcp/eras`), { requestInit: { headers: { authorization: `Bearer ${secret}` } } }));
    try {
      expect(client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
      client.setRequestHandler('elicitation/create', async () => ({ action: 'accept', content: { ok: true } }));
      const result = (await client.callTool({ name: 'modern__confirm', arguments: { action: 'release' } })) as { content: { text?: string }[] };
      expect(result.content[0].text).toBe('did release (state pending:release)');
      // The agent's own capabilities reached the server, in the hub's envelope.
      const calls = modern.seen.filter((s) => s.headers['mcp-name'] === 'confirm');
      expect(calls.at(-1)!.meta).toMatchObject({ 'io.modelcontextprotocol/clientCapabilities': { elicitation: {} }, 'io.modelcontextprotocol/clientInfo': { name: 'mcp-hub' } });
    } finally {
      await client.close();
    }
  });

  it('should fail the call with a clear error when the session did not declare elicitation', async () => {
    const client = await agent();
    await expect(client.callTool({ name: 'modern__confirm', arguments: { action: 'deploy' } })).rejects.toThrow(/elicitation/);
  });

  it('should send the arguments a tool declares with x-mcp-header as Mcp-Param-* headers (the server refuses the call without)', async () => {
    const client = await agent();
    expect(text(await client.callTool({ name: 'modern__locate', arguments: { region: 'eu-west' } }))).toContain('region eu-west');
    const call = modern.seen.filter((s) => s.headers['mcp-name'] === 'locate').at(-1)!;
    expect(call.headers['mcp-param-region']).toBe('eu-west');
  });

  it("should relay the server's progress notifications to the agent with the agent's token", async () => {
    const client = await agent();
    const progress: number[] = [];
    const result = await client.callTool({ name: 'modern__count', arguments: { n: 3 } }, undefined, { onprogress: (p) => progress.push(p.progress) });
    expect(text(result)).toContain('counted to 3');
    expect(progress).toEqual([1, 2, 3]);
  });

  it("should carry the server's tools/list_changed (subscriptions/listen) to a 2025 session and list the new tool", async () => {
    const client = await agent();
    let changed = 0;
    client.setNotificationHandler(ToolListChangedNotificationSchema, async () => void changed++);
    await waitFor(() => modern.seen.some((s) => s.method === 'subscriptions/listen'), 10_000, 'the listen stream');
    expect((await client.listTools()).tools.map((t) => t.name)).not.toContain('modern__secret');
    await client.callTool({ name: 'modern__unlock', arguments: {} });
    await waitFor(() => changed > 0, 10_000, 'tools/list_changed');
    await waitFor(async () => (await client.listTools()).tools.some((t) => t.name === 'modern__secret'), 10_000, 'the new tool');
  });

  it("should talk 2026-07-28 to a dual-era server (and 2025 for 2025 sessions' calls), the 2025 era to a Streamable HTTP server that does not discover", async () => {
    const dual = await startStatelessUpstream('dual');
    const everything = await startEverythingHttp('streamableHttp');
    try {
      const dualId = (await registerServer(admin, { name: 'Dual', slug: 'dual', transport: 'STREAMABLE_HTTP', url: dual.url })).id;
      const oldId = (await registerServer(admin, { name: 'Old HTTP', slug: 'old-http', transport: 'STREAMABLE_HTTP', url: everything.url })).id;
      const group = await createGroup(admin, 'mixed', [dualId, oldId]);
      const key = await createKey(admin, { groupIds: [group.id] });
      const client = await connectStreamable(hub.url, 'mixed', key.secret);
      clients.push(client);
      expect(text(await client.callTool({ name: 'dual__count', arguments: { n: 1 } }))).toContain('counted to 1');
      expect(text(await client.callTool({ name: 'old-http__echo', arguments: { message: 'via 2025' } }))).toContain('via 2025');
      expect((await runtime(dualId)).protocolVersion).toBe('2026-07-28');
      expect((await runtime(oldId)).protocolVersion).toMatch(/^2025-/);
      // The hub lists and watches it in 2026-07-28; a 2025 session's calls go to it in the 2025 era, which it serves too.
      expect(dual.seen.map((s) => s.method)).toContain('initialize');
      expect(dual.seen.find((s) => s.method === 'tools/call')?.headers['mcp-protocol-version']).toMatch(/^2025-/);
    } finally {
      await dual.stop();
      await everything.stop();
    }
  });

  it("should refuse a member's 2026 server that resolves to loopback before connecting to it", async () => {
    await admin.data('mutation{ createUser(input:{email:"member@example.com", password:"member-password-1"}){ id } }');
    const member = new GraphQLClient(hub.url);
    await member.login('member@example.com', 'member-password-1');
    const port = new URL(modern.url).port;
    const server = await registerServer(member, { name: 'M Modern', slug: 'm-modern', transport: 'STREAMABLE_HTTP', url: `http://modern.test:${port}/mcp` });
    const group = await createGroup(member, 'member-eras', [server.id]);
    const key = await createKey(member, { groupIds: [group.id] });
    const before = modern.seen.length;
    const client = await connectStreamable(hub.url, 'member-eras', key.secret);
    clients.push(client);
    expect((await client.listTools()).tools).toEqual([]);
    const view = await member.data<{ server: { runtime: { lastError: string | null; protocolVersion: string | null }[] } }>(
      'query($id: ID!){ server(id: $id){ runtime { lastError protocolVersion } } }',
      { id: server.id },
    );
    expect(view.server.runtime[0].lastError).toContain(EGRESS_REFUSED_TEXT);
    expect(view.server.runtime[0].protocolVersion).toBeNull();
    expect(modern.seen.length).toBe(before);
  });
});

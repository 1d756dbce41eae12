import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { createServer as createHttpServer } from 'node:http';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { CONNECT_FAILED_TEXT, EGRESS_REFUSED_TEXT, ServerHealthService, type EgressResolver } from '#servers';
import { databaseTargets } from '../support/database-targets.js';
import { GraphQLClient, errorCode } from '../support/graphql-client.js';
import { startHub, type RunningHub } from '../support/hub-app.js';
import { createGroup, createKey, registerServer } from '../support/hub-fixtures.js';
import { connectStreamable } from '../support/mcp-clients.js';
import { startEverythingHttp, type RunningUpstream } from '../support/upstreams.js';

/**
 * The egress policy end to end: members' servers may not reach internal destinations, checked on the resolved
 * address when the hub connects. Every address here is on 127.0.0.0/8; the hub resolves made-up `.test` names
 * through an injected resolver, so "internal" is played by loopback and nothing leaves the machine.
 */

interface Gate {
  port: number;
  connections(): number;
  /** Cuts every open connection (the hub must open new ones, and so resolve again). */
  cut(): void;
  close(): Promise<void>;
}

/** A loopback TCP listener that counts connections and, with a target port, forwards them to 127.0.0.1:target. */
async function gate(host: string, targetPort: number | null, port = 0): Promise<Gate> {
  let connections = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    if (targetPort === null) return void socket.destroy();
    const upstream = connect(targetPort, '127.0.0.1');
    sockets.add(upstream);
    upstream.once('close', () => sockets.delete(upstream));
    socket.pipe(upstream).pipe(socket);
    socket.once('error', () => upstream.destroy());
    upstream.once('error', () => socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => connections,
    cut: () => sockets.forEach((s) => s.destroy()),
    close: () => new Promise((resolve) => (sockets.forEach((s) => s.destroy()), server.close(() => resolve()))),
  };
}

/** The same port on 127.0.0.3 (forwarding to the upstream) and on 127.0.0.1 (an "internal" service that counts). */
async function rebindPair(targetPort: number): Promise<[Gate, Gate]> {
  for (let attempt = 0; ; attempt++) {
    const outside = await gate('127.0.0.3', targetPort);
    try {
      return [outside, await gate('127.0.0.1', null, outside.port)];
    } catch (error) {
      await outside.close();
      if (attempt > 10) throw error;
    }
  }
}

const ADMIN = { email: 'admin@example.com', password: 'admin-password-123' };
const TEST = 'ok error toolCount';
const text = (result: unknown) => JSON.stringify(result);

const names: Record<string, string> = { 'upstream.test': '127.0.0.1', 'allowed.test': '127.0.0.1', 'rebind.test': '127.0.0.3' };
const resolver: EgressResolver = async (name) => {
  const address = names[name];
  if (!address) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
  return [{ address, family: 4 }];
};

describe('egress policy (e2e)', () => {
  let hub: RunningHub;
  let admin: GraphQLClient;
  let member: GraphQLClient;
  let httpUpstream: RunningUpstream;
  let sseUpstream: RunningUpstream;
  let httpGate: Gate;
  let sseGate: Gate;
  let forbiddenGate: Gate;
  let deadGate: Gate;
  let rebindOutside: Gate;
  let rebindInside: Gate;
  let redirector: ReturnType<typeof createHttpServer>;
  let redirectorConnections = 0;
  const clients: Client[] = [];

  const portOf = (url: string) => Number(new URL(url).port);
  const testServer = async (client: GraphQLClient, id: string) =>
    (await client.data<{ testServer: { ok: boolean; error: string | null; toolCount: number | null } }>(`mutation($id: ID!){ testServer(id: $id){ ${TEST} } }`, { id }))
      .testServer;
  const serverView = async (client: GraphQLClient, id: string) =>
    (await client.data<{ server: { lastError: string | null; runtime: { lastError: string | null }[] } }>('query($id: ID!){ server(id: $id){ lastError runtime { lastError } } }', { id }))
      .server;
  const agent = async (client: GraphQLClient, slug: string, serverIds: string[]) => {
    const group = await createGroup(client, slug, serverIds);
    const key = await createKey(client, { groupIds: [group.id] });
    const mcp = await connectStreamable(hub.url, slug, key.secret);
    clients.push(mcp);
    return mcp;
  };
  /** What a member may be told about a connection: one of the two generic texts, nothing about what is there. */
  const expectNoDetails = (message: string | null | undefined) => {
    expect(message).toBeTruthy();
    expect(message).not.toMatch(/ECONN|ENOTFOUND|EHOSTUNREACH|127\.0\.0|\d{4,5}|HTTP \d|loopback|private/);
  };

  beforeAll(async () => {
    [httpUpstream, sseUpstream] = await Promise.all([startEverythingHttp('streamableHttp'), startEverythingHttp('sse')]);
    [httpGate, sseGate, forbiddenGate, deadGate] = await Promise.all([
      gate('127.0.0.1', portOf(httpUpstream.url)),
      gate('127.0.0.1', portOf(sseUpstream.url)),
      gate('127.0.0.1', portOf(httpUpstream.url)),
      gate('127.0.0.1', null),
    ]);
    [rebindOutside, rebindInside] = await rebindPair(portOf(httpUpstream.url));
    // An admin-allowed host that redirects to a forbidden one.
    redirector = createHttpServer((_req, res) => res.writeHead(307, { location: `http://upstream.test:${forbiddenGate.port}/mcp` }).end());
    redirector.on('connection', () => redirectorConnections++);
    await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));

    hub = await startHub(databaseTargets[0], { UPSTREAM_ALLOWED_HOSTS: 'allowed.test,127.0.0.3' }, { egressResolver: resolver });
    admin = new GraphQLClient(hub.url);
    await admin.login(ADMIN.email, ADMIN.password);
    await admin.data('mutation{ createUser(input:{email:"member@example.com", password:"member-password-1"}){ id } }');
    member = new GraphQLClient(hub.url);
    await member.login('member@example.com', 'member-password-1');
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await hub?.close();
    await new Promise((resolve) => redirector?.close(resolve));
    await Promise.all([httpGate, sseGate, forbiddenGate, deadGate, rebindOutside, rebindInside].map((g) => g?.close()));
    await Promise.all([httpUpstream?.stop(), sseUpstream?.stop()]);
  });

  it('should refuse members forbidden literal hosts and metadata names at registration, naming the url field', async () => {
    const before = (await member.data<{ servers: unknown[] }>('{ servers(first: 100) { id } }')).servers.length;
    for (const url of ['http://2130706433/mcp', 'http://0x7f.1/mcp', 'http://[::ffff:127.0.0.1]/mcp', 'http://[::ffff:a9fe:a9fe]/', 'http://169.254.169.254/', 'http://0.0.0.0:8080/', 'http://[::]/', 'http://metadata.google.internal/']) {
      const res = await member.request('mutation($i: RegisterServerInput!){ registerServer(input: $i){ id } }', { i: { name: 'Sneaky', transport: 'STREAMABLE_HTTP', url } });
      expect(errorCode(res)).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0]?.extensions?.field).toBe('input.url');
      expect(res.errors?.[0]?.message).toContain(EGRESS_REFUSED_TEXT);
    }
    expect((await member.data<{ servers: unknown[] }>('{ servers(first: 100) { id } }')).servers).toHaveLength(before);
  });

  it("should refuse a member's server whose name resolves to loopback, in testServer and agent calls, without reaching it", async () => {
    const http = await registerServer(member, { name: 'M HTTP', slug: 'm-http', transport: 'STREAMABLE_HTTP', url: `http://upstream.test:${httpGate.port}/mcp` });
    const sse = await registerServer(member, { name: 'M SSE', slug: 'm-sse', transport: 'SSE', url: `http://upstream.test:${sseGate.port}/sse` });
    for (const { id } of [http, sse]) {
      const result = await testServer(member, id);
      expect(result.ok).toBe(false);
      expect(result.error).toContain(EGRESS_REFUSED_TEXT);
      expectNoDetails(result.error);
      expect((await serverView(member, id)).lastError).toBe(result.error);
    }

    const mcp = await agent(member, 'member-tools', [http.id, sse.id]);
    const { tools } = await mcp.listTools();
    expect(tools.filter((t) => t.name.startsWith('m-'))).toEqual([]);
    await expect(mcp.callTool({ name: 'm-http__echo', arguments: { message: 'x' } })).rejects.toThrow(/Unknown tool/);
    for (const { id } of [http, sse]) {
      const [runtime] = (await serverView(member, id)).runtime;
      expect(runtime.lastError).toContain(EGRESS_REFUSED_TEXT);
      expectNoDetails(runtime.lastError);
    }
    // Health checks record what the owner may see too.
    for (const { id } of [http, sse]) {
      const check = await hub.app.get(ServerHealthService).check(id, id);
      expect(check?.status).toBe('DOWN');
      expect(check?.error).toContain(EGRESS_REFUSED_TEXT);
      expectNoDetails(check?.error);
    }
    expect(httpGate.connections()).toBe(0);
    expect(sseGate.connections()).toBe(0);
  });

  it("should connect the admin's identical servers", async () => {
    const http = await registerServer(admin, { name: 'A HTTP', slug: 'a-http', transport: 'STREAMABLE_HTTP', url: `http://upstream.test:${httpGate.port}/mcp` });
    const sse = await registerServer(admin, { name: 'A SSE', slug: 'a-sse', transport: 'SSE', url: `http://upstream.test:${sseGate.port}/sse` });
    expect(await testServer(admin, http.id)).toMatchObject({ ok: true, error: null });
    expect(await testServer(admin, sse.id)).toMatchObject({ ok: true, error: null });
    const mcp = await agent(admin, 'admin-tools', [http.id, sse.id]);
    expect(text(await mcp.callTool({ name: 'a-http__echo', arguments: { message: 'admin http' } }))).toContain('admin http');
    expect(text(await mcp.callTool({ name: 'a-sse__echo', arguments: { message: 'admin sse' } }))).toContain('admin sse');
    expect(httpGate.connections()).toBeGreaterThan(0);
  });

  it("should keep details of an admin's failing server but give members only the generic text", async () => {
    const adminDead = await registerServer(admin, { name: 'A Dead', slug: 'a-dead', transport: 'STREAMABLE_HTTP', url: `http://allowed.test:${deadGate.port}/mcp` });
    const memberDead = await registerServer(member, { name: 'M Dead', slug: 'm-dead', transport: 'STREAMABLE_HTTP', url: `http://allowed.test:${deadGate.port}/mcp` });
    const adminResult = await testServer(admin, adminDead.id);
    expect(adminResult.ok).toBe(false);
    expect(adminResult.error).toMatch(/ECONNRESET|socket|closed|terminated|fetch failed/i);
    const memberResult = await testServer(member, memberDead.id);
    expect(memberResult.error).toBe(`Server m-dead failed the test: ${CONNECT_FAILED_TEXT}`);
  });

  it('should let members use hosts an admin allowed with UPSTREAM_ALLOWED_HOSTS', async () => {
    const allowed = await registerServer(member, { name: 'M Allowed', slug: 'm-allowed', transport: 'STREAMABLE_HTTP', url: `http://allowed.test:${httpGate.port}/mcp` });
    expect(await testServer(member, allowed.id)).toMatchObject({ ok: true, error: null });
    const mcp = await agent(member, 'member-allowed', [allowed.id]);
    expect(text(await mcp.callTool({ name: 'm-allowed__echo', arguments: { message: 'allowed' } }))).toContain('allowed');
  });

  // The SDK's transports follow only same-origin redirects and the hub's dispatcher refuses forbidden hops of any
  // redirect it follows (egress-guard.spec.ts); here: the member learns nothing and the destination sees nothing.
  it.each(['STREAMABLE_HTTP', 'SSE'])('should refuse a %s redirect from an allowed host to a forbidden one before connecting there', async (transport) => {
    const port = (redirector.address() as AddressInfo).port;
    const slug = `m-redirect-${transport.toLowerCase().replace('_', '-')}`;
    const redirected = await registerServer(member, { name: slug, slug, transport, url: `http://allowed.test:${port}/mcp` });
    const result = await testServer(member, redirected.id);
    expect(result.ok).toBe(false);
    expect([`Server ${slug} failed the test: ${CONNECT_FAILED_TEXT}`, `Server ${slug} failed the test: ${EGRESS_REFUSED_TEXT}`]).toContain(result.error);
    expect(redirectorConnections).toBeGreaterThan(0);
    expect(forbiddenGate.connections()).toBe(0);
  });

  it('should refuse when an allowed name is rebound to an internal address (checked at every connect)', async () => {
    const rebound = await registerServer(member, { name: 'M Rebind', slug: 'm-rebind', transport: 'STREAMABLE_HTTP', url: `http://rebind.test:${rebindOutside.port}/mcp` });
    const mcp = await agent(member, 'member-rebind', [rebound.id]);
    expect(text(await mcp.callTool({ name: 'm-rebind__echo', arguments: { message: 'before' } }))).toContain('before');

    names['rebind.test'] = '127.0.0.1';
    rebindOutside.cut();
    // The first call after the cut may still find a dying keep-alive socket; within a deadline the refusal shows.
    const deadline = Date.now() + 20_000;
    let message = '';
    while (!message.includes(EGRESS_REFUSED_TEXT) && Date.now() < deadline) {
      message = await mcp.callTool({ name: 'm-rebind__echo', arguments: { message: 'after' } }).then(text, (e: Error) => e.message);
      expect(message).not.toContain('after');
      expectNoDetails(message.replace(/MCP error -?\d+: /, ''));
    }
    expect(message).toContain(EGRESS_REFUSED_TEXT);
    expect(rebindInside.connections()).toBe(0);
  });
});

import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { request as httpRequest, Agent as HttpAgent, createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HubConfig } from '#core';
import { probeServer } from '../upstream/probe-server.js';
import type { UpstreamTransportConfig } from '../upstream/upstream-transport-config.js';
import { CONNECT_FAILED_TEXT, EGRESS_REFUSED_TEXT, isEgressRefusal } from './egress.errors.js';
import { EgressGuard } from './egress-guard.js';
import type { EgressResolver } from './egress-lookup.js';

/**
 * Every destination here is on 127.0.0.0/8. Names resolve through an injected resolver; the addresses outside
 * loopback that it returns are only ever looked at, never connected to (the lookup refuses before any socket).
 */
const NAMES: Record<string, { address: string; family: 4 | 6 }[]> = {
  'upstream.test': [{ address: '127.0.0.1', family: 4 }],
  'second.test': [{ address: '127.0.0.2', family: 4 }],
  'metadata-alias.test': [{ address: '169.254.169.254', family: 4 }],
  'mapped-metadata.test': [{ address: '::ffff:169.254.169.254', family: 6 }],
  'mixed.test': [
    { address: '93.184.215.14', family: 4 },
    { address: '127.0.0.1', family: 4 },
  ],
};
const resolved: string[] = [];
const resolver: EgressResolver = async (name) => {
  resolved.push(name);
  const found = NAMES[name];
  if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
  return found;
};

const guardFor = (allowedHosts: string[] = []) => new EgressGuard({ egress: { allowedHosts } } as unknown as HubConfig, resolver);

/** An HTTP server on a loopback address that counts the TCP connections it accepted. */
async function countingServer(host: string, handler: (url: string, res: import('node:http').ServerResponse) => void) {
  let connections = 0;
  const server = createServer((req, res) => handler(req.url ?? '/', res));
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return { server, port: (server.address() as AddressInfo).port, connections: () => connections };
}

describe(EgressGuard.name, () => {
  const guards: EgressGuard[] = [];
  const servers: Server[] = [];
  let target: Awaited<ReturnType<typeof countingServer>>;
  let second: Awaited<ReturnType<typeof countingServer>>;

  beforeAll(async () => {
    target = await countingServer('127.0.0.1', (_url, res) => res.end('hello from a private service'));
    second = await countingServer('127.0.0.2', (_url, res) => res.end('second'));
    servers.push(target.server, second.server);
  });
  afterEach(() => {
    resolved.length = 0;
  });
  afterAll(async () => {
    await Promise.all(guards.map((g) => g.onApplicationShutdown()));
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  });
  const make = (allowed?: string[]) => {
    const guard = guardFor(allowed);
    guards.push(guard);
    return guard;
  };
  const http = (url: string, egress: 'restricted' | 'unrestricted'): UpstreamTransportConfig => ({ type: 'streamable-http', url, headers: {}, egress });

  it('should refuse a name that resolves to loopback before connecting, through fetch', async () => {
    const guard = make();
    const before = target.connections();
    const error = await guard.fetch(http('http://upstream.test/', 'restricted'))(`http://upstream.test:${target.port}/`).catch((e: unknown) => e);
    expect(isEgressRefusal(error)).toBe(true);
    expect(resolved).toContain('upstream.test');
    expect(target.connections()).toBe(before);
  });

  it('should connect the same name for an unrestricted (admin) server', async () => {
    const guard = make();
    const before = target.connections();
    const response = await guard.fetch(http('http://upstream.test/', 'unrestricted'))(`http://upstream.test:${target.port}/`);
    expect(await response.text()).toBe('hello from a private service');
    expect(target.connections()).toBe(before + 1);
  });

  it('should refuse through a node:http Agent given the policy lookup, before connecting', async () => {
    const guard = make();
    const before = target.connections();
    const agent = new HttpAgent({ keepAlive: true, ...guard.agentOptions(http('http://upstream.test/', 'restricted')) });
    const error = await new Promise<unknown>((resolve) => {
      const req = httpRequest(`http://upstream.test:${target.port}/`, { agent }, (res) => resolve(res.statusCode));
      req.once('error', resolve);
      req.end();
    });
    agent.destroy();
    expect(isEgressRefusal(error)).toBe(true);
    expect(target.connections()).toBe(before);
  });

  it.each(['metadata-alias.test', 'mapped-metadata.test', 'mixed.test'])('should refuse %s in the lookup itself', async (name) => {
    const guard = make();
    const { lookup } = guard.agentOptions(http(`http://${name}/`, 'restricted'));
    const error = await new Promise<unknown>((resolve) => lookup!(name, { all: true }, (err) => resolve(err)));
    expect(isEgressRefusal(error)).toBe(true);
  });

  it('should refuse a redirect from an allowed host to a forbidden IP literal or name, before connecting', async () => {
    const guard = make(['127.0.0.1']);
    const redirector = await countingServer('127.0.0.1', (url, res) => {
      const location = url === '/to-literal' ? `http://127.0.0.2:${second.port}/` : `http://second.test:${second.port}/`;
      res.writeHead(307, { location }).end();
    });
    servers.push(redirector.server);
    const fetch = guard.fetch(http(`http://127.0.0.1:${redirector.port}/`, 'restricted'));
    for (const path of ['/to-literal', '/to-name']) {
      const error = await fetch(`http://127.0.0.1:${redirector.port}${path}`).catch((e: unknown) => e);
      expect(isEgressRefusal(error)).toBe(true);
    }
    expect(redirector.connections()).toBeGreaterThan(0);
    expect(second.connections()).toBe(0);
  });

  it('should let UPSTREAM_ALLOWED_HOSTS names through for restricted servers', async () => {
    const guard = make(['upstream.test']);
    const response = await guard.fetch(http('http://upstream.test/', 'restricted'))(`http://upstream.test:${target.port}/`);
    expect(response.status).toBe(200);
    await response.text();
  });

  describe('probeServer', () => {
    it('should refuse an IP-literal URL before connecting and say only that the policy refused it', async () => {
      const guard = make();
      const before = target.connections();
      await expect(probeServer(http(`http://[::ffff:127.0.0.1]:${target.port}/mcp`, 'restricted'), 2_000, guard)).rejects.toThrow(EGRESS_REFUSED_TEXT);
      await expect(probeServer(http(`http://upstream.test:${target.port}/mcp`, 'restricted'), 2_000, guard)).rejects.toThrow(EGRESS_REFUSED_TEXT);
      expect(target.connections()).toBe(before);
    });

    it("should not tell a member what answered or why a connection failed", async () => {
      const guard = make(['upstream.test', '127.0.0.1']);
      // Connected, but the reply is not MCP: the member must not see the body.
      const answered = await probeServer(http(`http://upstream.test:${target.port}/mcp`, 'restricted'), 2_000, guard).catch((e: Error) => e);
      expect((answered as Error).message).toBe(CONNECT_FAILED_TEXT);
      expect(String((answered as Error).cause)).toMatch(/.+/);
      // Nothing listens there: no ECONNREFUSED host:port oracle.
      const closedPort = await countingServer('127.0.0.1', () => undefined).then(async (s) => (await new Promise((r) => s.server.close(r)), s.port));
      const refused = await probeServer(http(`http://127.0.0.1:${closedPort}/mcp`, 'restricted'), 2_000, guard).catch((e: Error) => e);
      expect((refused as Error).message).toBe(CONNECT_FAILED_TEXT);
      // The admin's identical server keeps the details.
      const admin = await probeServer(http(`http://127.0.0.1:${closedPort}/mcp`, 'unrestricted'), 2_000, guard).catch((e: Error) => e);
      expect((admin as Error).message).toContain('ECONNREFUSED');
    });
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type AddressInfo, type Server } from 'node:net';
import type { HubConfig } from '#core';
import { EGRESS_REFUSED_TEXT, EgressGuard, type UpstreamTransportConfig } from '#servers';
import { EgressCheckedTransport } from './egress-checked.transport.js';
import { createGatewayTransport } from './upstream-transport.factory.js';

/** The gateway's URL transports under the egress policy; only loopback is ever listened on or connected to. */
describe(EgressCheckedTransport.name, () => {
  let server: Server;
  let port: number;
  let connections = 0;
  const guard = new EgressGuard({ egress: { allowedHosts: [] } } as unknown as HubConfig, async (name) => {
    if (name === 'upstream.test') return [{ address: '127.0.0.1', family: 4 }];
    throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
  });
  const ping = { jsonrpc: '2.0' as const, id: 1, method: 'ping' };

  beforeAll(async () => {
    server = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await guard.onApplicationShutdown();
    await new Promise((resolve) => server.close(resolve));
  });

  it.each([
    ['Streamable HTTP, IP literal', 'streamable-http', (p: number) => `http://127.0.0.1:${p}/mcp`],
    ['Streamable HTTP, mapped IPv6 literal', 'streamable-http', (p: number) => `http://[::ffff:127.0.0.1]:${p}/mcp`],
    ['Streamable HTTP, name resolving to loopback', 'streamable-http', (p: number) => `http://upstream.test:${p}/mcp`],
    ['SSE, IP literal', 'sse', (p: number) => `http://127.0.0.1:${p}/sse`],
    ['SSE, name resolving to loopback', 'sse', (p: number) => `http://upstream.test:${p}/sse`],
  ] as const)('should refuse a restricted server (%s) before any connection, with the member-safe text', async (_label, type, url) => {
    const config: UpstreamTransportConfig = { type, url: url(port), headers: {}, egress: 'restricted' };
    const details: unknown[] = [];
    const transport = createGatewayTransport(config, { maxMessageBytes: 1 << 20, egress: guard, report: (e) => details.push(e) });
    // The gateway starts, then sends initialize: either step must fail without a connection.
    const error = await transport
      .start()
      .then(() => transport.send(ping))
      .then(() => null, (e: Error) => e);
    await transport.close().catch(() => undefined);
    expect(error?.message).toBe(EGRESS_REFUSED_TEXT);
    expect(String(details[0])).toContain('EGRESS_REFUSED');
    expect(connections).toBe(0);
  });

  it('should let an unrestricted (admin) server connect to the same address and keep the error details', async () => {
    const config: UpstreamTransportConfig = { type: 'streamable-http', url: `http://127.0.0.1:${port}/mcp`, headers: {}, egress: 'unrestricted' };
    const transport = createGatewayTransport(config, { maxMessageBytes: 1 << 20, egress: guard });
    const error = await transport
      .start()
      .then(() => transport.send(ping))
      .then(() => null, (e: Error) => e);
    await transport.close().catch(() => undefined);
    expect(error?.message).toMatch(/socket hang up|ECONNRESET/);
    expect(connections).toBe(1);
  });
});

import { describe, expect, it } from '@jest/globals';
import type { HubConfig } from '#core';
import type { McpSession } from '../../session/mcp-session.js';
import type { SessionBus } from '../../session/session-bus.js';
import type { SessionRegistry } from '../../session/session-registry.js';
import type { UpstreamConnection } from '../upstream-connection.js';
import type { UpstreamPool } from '../upstream-pool.js';
import type { ConnectionOwners } from './connection-owners.js';
import { ConnectionHost } from './connection-host.js';
import type { ForwardedConnections } from './forwarded-connections.js';
import type { ToOwner } from './forwarding-messages.js';

/** The host with a ONE_HUB server on several hubs; only what shareSubscription reads is given. */
function host(placed = true) {
  const pool = { server: () => ({ connectionPlacement: 'ONE_HUB' }) } as unknown as UpstreamPool;
  const bus = { hubId: 'here', shared: true } as unknown as SessionBus;
  const forwarded = { placed: () => placed } as unknown as ForwardedConnections;
  return new ConnectionHost(pool, bus, {} as ConnectionOwners, forwarded, {} as HubConfig, {} as SessionRegistry);
}

describe(ConnectionHost.name, () => {
  const connection = { identity: { serverId: 's', replicaId: 'r', slug: 's' } } as unknown as UpstreamConnection;

  it('should send the first hub\'s subscribe and the last hub\'s unsubscribe only, when hubs share the connection', async () => {
    const h = host();
    const sent: string[] = [];
    const change = (method: string, hub: string) => h.shareSubscription(connection, method, 'res://a', async () => (sent.push(`${method} by ${hub}`), {}), hub);
    await change('resources/subscribe', 'A');
    await change('resources/subscribe', 'B');
    await change('resources/subscribe', 'here');
    await change('resources/unsubscribe', 'A');
    await change('resources/unsubscribe', 'here');
    expect(sent).toEqual(['resources/subscribe by A']);
    await change('resources/unsubscribe', 'B');
    expect(sent).toEqual(['resources/subscribe by A', 'resources/unsubscribe by B']);
  });

  it('should not count a subscribe the upstream refused', async () => {
    const h = host();
    await expect(h.shareSubscription(connection, 'resources/subscribe', 'res://a', () => Promise.reject(new Error('refused')), 'A')).rejects.toThrow('refused');
    let sent = 0;
    await h.shareSubscription(connection, 'resources/subscribe', 'res://a', async () => (sent++, {}), 'B');
    expect(sent).toBe(1);
  });

  it('should send every subscription change of a server each hub connects to itself', async () => {
    const h = host(false);
    let sent = 0;
    for (const hub of ['A', 'B']) await h.shareSubscription(connection, 'resources/subscribe', 'res://a', async () => (sent++, {}), hub);
    expect(sent).toBe(2);
  });
});

/**
 * A holder of one connection, driven through the bus as other hubs would; what it sends them is recorded. Calls
 * forwarded to it stay in flight; `own` are this hub's sessions.
 */
function holding(own: McpSession[] = []) {
  const connection = {
    identity: { serverId: 's', replicaId: 'r', slug: 's' },
    stateless: false,
    protocolVersion: '2025-06-18',
    capabilities: {},
    serverInfo: {},
    request: () => new Promise(() => undefined),
  };
  const handlers: Record<string, (event: { message: ToOwner }) => void> = {};
  const sent: { hub: string; op: string }[] = [];
  const lostHooks: ((replicaId: string, reason: string, subject: string) => void)[] = [];
  const bus = {
    hubId: 'holder',
    shared: true,
    on: (kind: string, handler: (event: { message: ToOwner }) => void) => void (handlers[kind] = handler),
    toHub: async (hub: string, { message }: { message: { op: string } }) => (sent.push({ hub, op: message.op }), true),
  } as unknown as SessionBus;
  const pool = {
    addListener: () => undefined,
    onConnectionLost: (hook: (typeof lostHooks)[number]) => void lostHooks.push(hook),
    connection: async () => connection,
  } as unknown as UpstreamPool;
  const owners = { holds: () => true, onLost: () => undefined } as unknown as ConnectionOwners;
  const sessions = { withCalls: () => own.values() } as unknown as SessionRegistry;
  const h = new ConnectionHost(pool, bus, owners, { placed: () => true } as unknown as ForwardedConnections, {} as HubConfig, sessions);
  h.onModuleInit();
  const from = (hub: string, message: Record<string, unknown>) => handlers['to-owner']({ message: { replicaId: 'r', subject: '', from: hub, ...message } as ToOwner });
  const lose = () => lostHooks.forEach((hook) => hook('r', 'crashed', ''));
  return { host: h, from, lose, told: (op: string) => sent.filter((s) => s.op === op).map((s) => s.hub) };
}
const settled = () => new Promise((resolve) => setImmediate(resolve));

describe(`${ConnectionHost.name} followers`, () => {
  it('should tell every hub that opened the connection when it ends', async () => {
    const { from, lose, told } = holding();
    from('A', { op: 'open', ref: 1 });
    from('B', { op: 'open', ref: 1 });
    await settled();
    expect(told('opened')).toEqual(['A', 'B']);
    lose();
    expect(told('lost')).toEqual(['A', 'B']);
  });

  it('should forget a hub that closed its connection, so a hub that left is not kept for the connection\'s life', async () => {
    const { from, lose, told } = holding();
    from('A', { op: 'open', ref: 1 });
    from('B', { op: 'open', ref: 1 });
    await settled();
    from('A', { op: 'close' });
    lose();
    expect(told('lost')).toEqual(['B']);
  });
});

describe(`${ConnectionHost.name} callers`, () => {
  const session = (id: string, ...calls: { serverId: string; startedAt: number }[]) =>
    ({ id, principal: { userId: 'u' }, inflight: new Map(calls.map((c, i) => [i, c])) }) as unknown as McpSession;
  const call = (callId: number, sessionId: string) => ({ op: 'call', callId, method: 'tools/call', timeoutMs: 1_000, related: false, sessionId });

  it('should name, for each session calling the server, the hub of its latest call: forwarded or its own', async () => {
    const { host, from } = holding([session('here-1', { serverId: 's', startedAt: 0 }), session('elsewhere', { serverId: 'other', startedAt: 0 })]);
    from('A', call(1, 'a-1'));
    from('B', call(1, 'moved'));
    await settled();
    from('A', call(2, 'moved'));
    await settled();
    expect(host.callers('s', undefined)).toEqual({ 'here-1': 'holder', 'a-1': 'A', moved: 'A' });
    expect(host.callers('other', undefined)).toEqual({ elsewhere: 'holder' });
  });

  it('should name no hub for the calls on another person\'s connection to a PER_USER server', async () => {
    const { host, from } = holding([session('mine', { serverId: 's', startedAt: 0 })]);
    from('A', call(1, 'theirs'));
    await settled();
    expect(host.callers('s', 'someone-else')).toEqual({});
  });
});

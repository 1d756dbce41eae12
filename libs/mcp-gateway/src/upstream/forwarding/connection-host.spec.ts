import { describe, expect, it } from '@jest/globals';
import type { HubConfig } from '#core';
import type { SessionBus } from '../../session/session-bus.js';
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
  return new ConnectionHost(pool, bus, {} as ConnectionOwners, forwarded, {} as HubConfig);
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

describe(`${ConnectionHost.name} followers`, () => {
  /** A holder of one connection, driven through the bus as other hubs would; what it sends them is recorded. */
  function holding() {
    const connection = { identity: { serverId: 's', replicaId: 'r', slug: 's' }, stateless: false, protocolVersion: '2025-06-18', capabilities: {}, serverInfo: {} };
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
    const h = new ConnectionHost(pool, bus, owners, { placed: () => true } as unknown as ForwardedConnections, {} as HubConfig);
    h.onModuleInit();
    const from = (hub: string, message: Record<string, unknown>) => handlers['to-owner']({ message: { replicaId: 'r', subject: '', from: hub, ...message } as ToOwner });
    const lose = () => lostHooks.forEach((hook) => hook('r', 'crashed', ''));
    return { from, lose, told: (op: string) => sent.filter((s) => s.op === op).map((s) => s.hub) };
  }
  const settled = () => new Promise((resolve) => setImmediate(resolve));

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

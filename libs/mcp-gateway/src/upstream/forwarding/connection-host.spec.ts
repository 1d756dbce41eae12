import { describe, expect, it } from '@jest/globals';
import type { HubConfig } from '#core';
import type { SessionBus } from '../../session/session-bus.js';
import type { UpstreamConnection } from '../upstream-connection.js';
import type { UpstreamPool } from '../upstream-pool.js';
import type { ConnectionOwners } from './connection-owners.js';
import { ConnectionHost } from './connection-host.js';
import type { ForwardedConnections } from './forwarded-connections.js';

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

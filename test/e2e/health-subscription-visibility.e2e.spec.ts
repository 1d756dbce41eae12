import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createClient, type Client as WsClient } from 'graphql-ws';
import WebSocket from 'ws';
import { JobName, JobsService } from '#core';
import { databaseTargets } from '../support/database-targets.js';
import { GraphQLClient } from '../support/graphql-client.js';
import { registerServer } from '../support/hub-fixtures.js';
import { startHub, type RunningHub } from '../support/hub-app.js';
import { waitFor } from '../support/upstreams.js';

const target = databaseTargets[databaseTargets.length - 1];

interface Transition {
  serverId: string;
  to: string;
  error: string | null;
  at: string;
}

describe('serverStatusChanged visibility', () => {
  let hub: RunningHub;
  let admin: GraphQLClient;
  let alice: GraphQLClient;
  let bob: GraphQLClient;
  let refusing: Server;
  let deadUrl: string;
  const sockets: WsClient[] = [];

  const member = async (email: string) => {
    await admin.data('mutation($i: CreateUserInput!){ createUser(input: $i){ id } }', { i: { email, password: 'member-password-1' } });
    const client = new GraphQLClient(hub.url);
    await client.login(email, 'member-password-1');
    return client;
  };

  /** Subscribes and resolves once the server acknowledged the connection; transitions land in the returned list. */
  const subscribe = async (client: GraphQLClient, serverId?: string) => {
    const ws = createClient({ url: hub.url.replace('http', 'ws') + '/graphql', webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${client.token}` } });
    sockets.push(ws);
    const received: Transition[] = [];
    const errors: unknown[] = [];
    await new Promise<void>((resolve) => {
      ws.on('connected', () => resolve());
      ws.subscribe(
        { query: 'subscription($s: ID){ serverStatusChanged(serverId: $s){ serverId to error at } }', variables: { s: serverId } },
        { next: (m) => void received.push((m.data as { serverStatusChanged: Transition }).serverStatusChanged), error: (e) => void errors.push(e), complete: () => undefined },
      );
    });
    return { received, errors };
  };

  beforeAll(async () => {
    // A loopback port that accepts and drops connections: every health check of a server pointing here is DOWN.
    refusing = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
    deadUrl = `http://127.0.0.1:${(refusing.address() as AddressInfo).port}/mcp`;
    hub = await startHub(target);
    admin = new GraphQLClient(hub.url);
    await admin.login('admin@example.com', 'admin-password-123');
    alice = await member('alice@example.com');
    bob = await member('bob@example.com');
  });
  afterAll(async () => {
    await Promise.all(sockets.map((s) => s.dispose()));
    await hub?.close();
    refusing?.close();
  });

  it("should deliver members only their own servers' transitions, and admins all", async () => {
    const adminSub = await subscribe(admin);
    const aliceSub = await subscribe(alice);
    const bobSub = await subscribe(bob);
    const jobs = hub.app.get(JobsService);
    const check = (id: string) => jobs.enqueue(JobName.HEALTH_CHECK, { serverId: id, replicaId: id });

    // Bob's transition first: had Alice been sent it, it would reach her before her own (one stream, in order).
    const bobServer = await registerServer(bob, { name: 'bob-secret', transport: 'STREAMABLE_HTTP', url: deadUrl });
    await check(bobServer.id);
    await waitFor(() => adminSub.received.some((t) => t.serverId === bobServer.id), 15_000, "the admin to see Bob's transition");
    await waitFor(() => bobSub.received.some((t) => t.serverId === bobServer.id), 15_000, "Bob to see his transition");

    const aliceServer = await registerServer(alice, { name: 'alice-own', transport: 'STREAMABLE_HTTP', url: deadUrl });
    await check(aliceServer.id);
    await waitFor(() => aliceSub.received.some((t) => t.serverId === aliceServer.id), 15_000, 'Alice to see her transition');
    await waitFor(() => adminSub.received.some((t) => t.serverId === aliceServer.id), 15_000, "the admin to see Alice's transition");

    expect(aliceSub.received.map((t) => t.serverId)).toEqual(aliceSub.received.map(() => aliceServer.id));
    expect(bobSub.received.map((t) => t.serverId)).toEqual(bobSub.received.map(() => bobServer.id));
    expect(aliceSub.received[0]).toMatchObject({ to: 'DOWN' });
    // `at` crosses the config bus as text and still serializes as a DateTime.
    expect(Date.parse(aliceSub.received[0].at)).toBeGreaterThan(Date.now() - 60_000);
    expect(aliceSub.errors).toEqual([]);
  });

  it("should refuse a subscription to a server the member may not see as NOT_FOUND", async () => {
    const bobServer = await registerServer(bob, { name: 'bob-other', transport: 'STREAMABLE_HTTP', url: deadUrl });
    const ws = createClient({ url: hub.url.replace('http', 'ws') + '/graphql', webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${alice.token}` } });
    sockets.push(ws);
    const outcome = await new Promise<unknown>((resolve) => {
      ws.subscribe(
        { query: 'subscription($s: ID){ serverStatusChanged(serverId: $s){ serverId } }', variables: { s: bobServer.id } },
        { next: (m) => resolve(m), error: (e) => resolve({ error: e }), complete: () => resolve('completed') },
      );
    });
    expect(JSON.stringify(outcome)).toMatch(/NOT_FOUND|not found/);
    expect(JSON.stringify(outcome)).not.toContain('"serverId"');
  });
});

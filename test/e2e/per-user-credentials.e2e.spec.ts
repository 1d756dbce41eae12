import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { LoggingMessageNotificationSchema, ResourceUpdatedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { join } from 'node:path';
import { GraphQLClient, errorCode } from '../support/graphql-client.js';
import { addTeamMember, createGroup, createKey, createPerson, createTeam, registerServer, share } from '../support/hub-fixtures.js';
import { startHub, type RunningHub } from '../support/hub-app.js';
import { hubTargetRows, oneHubTargetRows } from '../support/hub-targets.js';
import { connectStreamable } from '../support/mcp-clients.js';
import { isAlive } from '../support/processes.js';
import { waitFor } from '../support/upstreams.js';

const TOKEN_SERVER = join(process.cwd(), 'test/support/token-reporting-server.mjs');
const PEOPLE = 50;
const SESSIONS = 1_000;
const CAP = PEOPLE;
/** Longer than starting 50 servers takes on this 2-core machine, so each person's process is reused. */
const IDLE_SECONDS = 10;
const SET = 'mutation($i: SetCredentialInput!){ setCredential(input: $i){ id name scope maskedValue } }';

interface WhoAmI {
  token: string | null;
  arg: string | null;
  pid: number;
}

/** A 2025-era session over plain HTTP (no GET stream): initialize, initialized, then calls. */
async function rawSession(url: string, key: string) {
  const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${key}` };
  const post = async (body: unknown, sessionId?: string) => {
    const res = await fetch(url, { method: 'POST', headers: { ...headers, ...(sessionId ? { 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-06-18' } : {}) }, body: JSON.stringify(body) });
    const text = await res.text();
    const data = text.startsWith('{') ? text : text.split('\n').find((l) => l.startsWith('data: '))?.slice(6);
    return { res, json: data ? (JSON.parse(data) as { result?: { content: { text: string }[] }; error?: { code: number; message: string } }) : undefined };
  };
  const init = await post({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'load', version: '1' } } });
  const sessionId = init.res.headers.get('mcp-session-id')!;
  await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, sessionId);
  return {
    async whoami(): Promise<WhoAmI> {
      const { json } = await post({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'whoami', arguments: {} } }, sessionId);
      if (!json?.result) throw new Error(`whoami failed: ${JSON.stringify(json)}`);
      return JSON.parse(json.result.content[0].text) as WhoAmI;
    },
  };
}

/** Runs work(0..count-1) with `width` at a time (each worker takes the next index as soon as it is free). */
async function concurrently<T>(count: number, width: number, work: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < count) {
        const i = next++;
        out[i] = await work(i);
      }
    }),
  );
  return out;
}

describe.each(hubTargetRows)('per-user credentials on %s', (_name, target) => {
  let hub: RunningHub;
  let admin: GraphQLClient;
  let alice: GraphQLClient & { userId: string };
  let bob: GraphQLClient & { userId: string };
  let carol: GraphQLClient & { userId: string };
  let serverId: string;
  let teamId: string;
  const keys = new Map<string, string>();
  const clients: Client[] = [];
  const pids = new Set<number>();

  const endpoint = () => `${hub.url}/mcp/tokens`;
  const whoami = async (client: Client) => {
    const result = (await client.callTool({ name: 'whoami', arguments: {} })) as { content: { text: string }[] };
    const who = JSON.parse(result.content[0].text) as WhoAmI;
    pids.add(who.pid);
    return who;
  };
  const connect = async (person: string) => {
    const client = await connectStreamable(hub.url, 'tokens', keys.get(person)!);
    clients.push(client);
    return client;
  };
  const connections = async () =>
    (await admin.data<{ server: { runtime: { connections: number }[] } }>('query($id: ID!){ server(id: $id){ runtime { connections } } }', { id: serverId })).server.runtime[0].connections;

  beforeAll(async () => {
    hub = await startHub(target.database, { ...target.env, UPSTREAM_IDLE_SECONDS: String(IDLE_SECONDS), UPSTREAM_MAX_PER_SERVER: String(CAP), UPSTREAM_ALLOWED_HOSTS: '127.0.0.1' });
    admin = new GraphQLClient(hub.url);
    await admin.login('admin@example.com', 'admin-password-123');
    [alice, bob, carol] = await Promise.all(['alice', 'bob', 'carol'].map((n) => createPerson(admin, hub.url, `${n}@example.com`)));
    // An admin installs a stdio server once for everybody; each person's own token fills it.
    ({ id: serverId } = await registerServer(admin, {
      name: 'Tokens',
      slug: 'tokens',
      transport: 'STDIO',
      command: process.execPath,
      args: [TOKEN_SERVER, '--tenant=${TENANT}'],
      env: [{ name: 'SERVICE_TOKEN', value: '${SERVICE_TOKEN}' }],
      credentialScope: 'PER_USER',
    }));
    const group = await createGroup(admin, 'tokens', [serverId], 'NONE');
    ({ id: teamId } = await createTeam(admin, 'everyone'));
    for (const person of [alice, bob, carol]) await addTeamMember(admin, teamId, person.userId);
    await share(admin, 'Group', group.id, teamId, 'VIEWER');
    await share(admin, 'Server', serverId, teamId, 'VIEWER');
    await admin.data(SET, { i: { name: 'TENANT', value: 'acme', scope: 'HUB' } });
    for (const [name, person] of [['alice', alice], ['bob', bob], ['carol', carol]] as const) keys.set(name, (await createKey(person)).secret);
  }, 60_000);

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await hub?.close();
  });

  it("lets each person set their own token once: their agents use it, never another person's", async () => {
    const set = await alice.data<{ setCredential: { name: string; scope: string; maskedValue: string } }>(SET, { i: { name: 'SERVICE_TOKEN', value: 'alice-secret-token' } });
    expect(set.setCredential).toEqual({ id: expect.any(String), name: 'SERVICE_TOKEN', scope: 'USER', maskedValue: '••••en' });
    await bob.data(SET, { i: { name: 'SERVICE_TOKEN', value: 'bob-secret-token' } });
    const [a, b] = await Promise.all([connect('alice'), connect('bob')]);
    const [aliceSees, bobSees] = await Promise.all([whoami(a), whoami(b)]);
    expect(aliceSees).toMatchObject({ token: 'alice-secret-token', arg: '--tenant=acme' });
    expect(bobSees).toMatchObject({ token: 'bob-secret-token', arg: '--tenant=acme' });
    expect(aliceSees.pid).not.toBe(bobSees.pid);
    expect(await connections()).toBe(2);
    // The value is write-only: the API shows a mask, never the token.
    const listed = JSON.stringify(await alice.data('{ credentials { name scope maskedValue } }'));
    expect(listed).not.toContain('alice-secret-token');
    // Audited, without the value (sealed or not).
    const audit = await admin.data<{ auditLog: { nodes: { action: string }[] } }>('{ auditLog(first: 5, filter: { action: "setCredential" }){ nodes { action changes { entity fields { name secret newValue } } } } }');
    expect(audit.auditLog.nodes.length).toBeGreaterThan(0);
    expect(JSON.stringify(audit)).not.toMatch(/alice-secret-token|v1\./);
  });

  it("refuses a person without the credential with an error naming it and where to set it; no process is started", async () => {
    const c = await connect('carol');
    const before = await connections();
    await expect(c.callTool({ name: 'whoami', arguments: {} })).rejects.toThrow(/Server "tokens" needs SERVICE_TOKEN: set it in Settings → Credentials/);
    expect(await connections()).toBe(before);
    const { server } = await carol.data<{ server: { variables: { name: string; source: string | null }[] } }>('query($id: ID!){ server(id: $id){ variables { name source } } }', { id: serverId });
    expect(server.variables).toEqual([{ name: 'SERVICE_TOKEN', source: null }, { name: 'TENANT', source: 'HUB' }]);
  });

  it("takes a team's credential when the person has none, and their own once they set it (the old connection is recycled)", async () => {
    await admin.data(SET, { i: { name: 'SERVICE_TOKEN', value: 'team-token', scope: 'TEAM', teamId } });
    const c = await connect('carol');
    expect((await whoami(c)).token).toBe('team-token');
    await carol.data(SET, { i: { name: 'SERVICE_TOKEN', value: 'carol-own-token' } });
    expect((await whoami(c)).token).toBe('carol-own-token');
  });

  it("delivers what a person's own connection says (log notifications) to that person's sessions only", async () => {
    const heard = { alice: [] as string[], bob: [] as string[] };
    const [a, b] = await Promise.all([connect('alice'), connect('bob')]);
    a.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void heard.alice.push(String(n.params.data)));
    b.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void heard.bob.push(String(n.params.data)));
    await a.callTool({ name: 'announce', arguments: {} });
    await waitFor(() => heard.alice.includes('hello from alice-secret-token'), 10_000, "alice's own notification");
    // Bob's own announcement comes after Alice's on his stream: had hers leaked, he would have it first.
    await b.callTool({ name: 'announce', arguments: {} });
    await waitFor(() => heard.bob.includes('hello from bob-secret-token'), 10_000, "bob's own notification");
    expect(heard.bob).toEqual(['hello from bob-secret-token']);
    expect(heard.alice).toEqual(['hello from alice-secret-token']);
  });

  it("subscribes each person on their own connection: both hear their own update for the same URI", async () => {
    const heard = { alice: [] as string[], bob: [] as string[] };
    const [a, b] = await Promise.all([connect('alice'), connect('bob')]);
    a.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => void heard.alice.push(String(n.params._meta?.['test/token'])));
    b.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => void heard.bob.push(String(n.params._meta?.['test/token'])));
    await a.subscribeResource({ uri: 'token://self' });
    await b.subscribeResource({ uri: 'token://self' });
    await waitFor(() => heard.alice.length && heard.bob.length, 10_000, 'both updates');
    expect(heard).toEqual({ alice: ['alice-secret-token'], bob: ['bob-secret-token'] });
  });

  // The pool is the same code in both deployments: the load runs on one (the others' cases run on both).
  const onOneTarget = oneHubTargetRows('postgres+redis').some(([, t]) => t === target) ? it : it.skip;
  onOneTarget(`serves ${SESSIONS} sessions of ${PEOPLE} people with at most ${PEOPLE} processes, all gone after the idle timeout`, async () => {
    const people = await concurrently(PEOPLE, 10, async (i) => {
      const person = await createPerson(admin, hub.url, `load${i}@example.com`);
      await addTeamMember(admin, teamId, person.userId);
      await person.data(SET, { i: { name: 'SERVICE_TOKEN', value: `load-token-${i}` } });
      return { i, key: (await createKey(person)).secret };
    });
    // How many connections (one process each) are open at once, sampled while the sessions run.
    let most = 0;
    let running = true;
    const sampling = (async () => {
      while (running) {
        most = Math.max(most, await connections());
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const seen = await concurrently(SESSIONS, 100, async (n) => {
      const person = people[n % PEOPLE];
      const session = await rawSession(endpoint(), person.key);
      const who = await session.whoami();
      expect(who.token).toBe(`load-token-${person.i}`);
      return who.pid;
    });
    running = false;
    await sampling;
    const loadPids = new Set(seen);
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(PEOPLE);
    // Each person's process is reused across their sessions (a few more only if one went idle under load).
    expect(loadPids.size).toBeLessThan(SESSIONS / 10);
    // Everyone calls once more, so all 50 connections are fresh before the cap is tried.
    await concurrently(PEOPLE, PEOPLE, async (i) => loadPids.add((await (await rawSession(endpoint(), people[i].key)).whoami()).pid));
    expect(await connections()).toBe(PEOPLE);
    // One more person at the cap (UPSTREAM_MAX_PER_SERVER): the connection idle the longest gives way.
    const extra = await createPerson(admin, hub.url, 'extra@example.com');
    await addTeamMember(admin, teamId, extra.userId);
    await extra.data(SET, { i: { name: 'SERVICE_TOKEN', value: 'extra-token' } });
    const extraWho = await (await rawSession(endpoint(), (await createKey(extra)).secret)).whoami();
    expect(extraWho.token).toBe('extra-token');
    expect(await connections()).toBe(CAP);
    loadPids.add(extraWho.pid);
    for (const pid of pids) loadPids.add(pid);
    // Every person's process ends once nobody has called for UPSTREAM_IDLE_SECONDS.
    await waitFor(async () => (await connections()) === 0 && [...loadPids].every((pid) => !isAlive(pid)), (IDLE_SECONDS + 15) * 1000, 'idle upstream processes to end');
  }, 180_000);

  it("releases a team's or the hub's credential only to servers of someone who may manage it, never to a member's own", async () => {
    await admin.data(SET, { i: { name: 'TEAM_SECRET', value: 'team-only', scope: 'TEAM', teamId } });
    // Carol (a plain member of the team) points a server of her own at an address she controls, asking for both.
    const own = await registerServer(carol, {
      name: 'Exfiltrate',
      transport: 'STREAMABLE_HTTP',
      url: 'http://127.0.0.1:9/mcp?tenant=${TENANT}',
      headers: [{ name: 'X-Team', value: '${TEAM_SECRET}' }, { name: 'X-Mine', value: '${SERVICE_TOKEN}' }],
    });
    const variables = async (client: GraphQLClient, id: string) =>
      (await client.data<{ server: { variables: { name: string; source: string | null }[] } }>('query($id: ID!){ server(id: $id){ variables { name source } } }', { id })).server.variables;
    expect(await variables(carol, own.id)).toEqual([
      { name: 'SERVICE_TOKEN', source: 'USER' },
      { name: 'TEAM_SECRET', source: null },
      { name: 'TENANT', source: null },
    ]);
    // The same hub credential does fill the admin's server for her.
    expect(await variables(carol, serverId)).toContainEqual({ name: 'TENANT', source: 'HUB' });
    const test = await carol.data<{ testServer: { ok: boolean; error: string } }>('mutation($id: ID!){ testServer(id: $id){ ok error } }', { id: own.id });
    expect(test.testServer).toMatchObject({ ok: false, error: expect.stringMatching(/needs TENANT, TEAM_SECRET: set them in Settings → Credentials/) });
  });

  it('keeps values write-only and names errors: a bad name, a team the person is not in, the hub scope for members', async () => {
    expect(errorCode(await alice.request(SET, { i: { name: 'not a name', value: 'x' } }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await alice.request(SET, { i: { name: 'X', value: 'x', scope: 'HUB' } }))).toBe('FORBIDDEN');
    // Carol is a MEMBER of the team, not its owner: she sees its credentials but may not set them.
    expect(errorCode(await carol.request(SET, { i: { name: 'X', value: 'x', scope: 'TEAM', teamId } }))).toBe('FORBIDDEN');
    const { credentials } = await carol.data<{ credentials: { name: string; scope: string }[] }>('{ credentials { name scope } }');
    expect(credentials).toEqual([
      { name: 'SERVICE_TOKEN', scope: 'USER' },
      { name: 'SERVICE_TOKEN', scope: 'TEAM' },
      { name: 'TEAM_SECRET', scope: 'TEAM' },
    ]);
  });
});

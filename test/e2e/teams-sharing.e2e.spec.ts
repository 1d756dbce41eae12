import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createClient, type Client as WsClient } from 'graphql-ws';
import WebSocket from 'ws';
import { ServerHealthService } from '#servers';
import { TeamsService } from '#users';
import { GraphQLClient, errorCode } from '../support/graphql-client.js';
import { addTeamMember, createGroup, createKey, createPerson, createTeam, registerServer, share } from '../support/hub-fixtures.js';
import { startHub, type RunningHub } from '../support/hub-app.js';
import { oneHubTargetRows } from '../support/hub-targets.js';
import { connectStreamable, rawPost } from '../support/mcp-clients.js';
import { startEverythingHttp, waitFor, type RunningUpstream } from '../support/upstreams.js';
import { DEAD_URL, turnServer } from '../support/health-flips.js';

const MAPPING = 'aad-platform=platform:MEMBER,AAD-Platform-Leads=platform:OWNER,aad-data=data,aad-solo=solo,aad-ghost=ghost';
const ECHO = (slug: string) => ({ name: `${slug}__echo`, arguments: { message: 'hi' } });

describe.each(oneHubTargetRows('postgres+redis'))('teams and sharing on %s', (_name, target) => {
  let hub: RunningHub;
  let upstream: RunningUpstream;
  let admin: GraphQLClient;
  /** Owns the fixtures. */
  let alice: GraphQLClient & { userId: string };
  /** Joins Alice's team. */
  let bob: GraphQLClient & { userId: string };
  /** In no team. */
  let mallory: GraphQLClient & { userId: string };
  let auditor: GraphQLClient & { userId: string };
  const mcpClients: Client[] = [];
  const sockets: WsClient[] = [];

  beforeAll(async () => {
    upstream = await startEverythingHttp('streamableHttp');
    hub = await startHub(target.database, { ...target.env, AZURE_AD_TEAM_MAPPING: MAPPING });
    admin = new GraphQLClient(hub.url);
    await admin.login('admin@example.com', 'admin-password-123');
    alice = await createPerson(admin, hub.url, 'alice@example.com');
    bob = await createPerson(admin, hub.url, 'bob@example.com');
    mallory = await createPerson(admin, hub.url, 'mallory@example.com');
    auditor = await createPerson(admin, hub.url, 'auditor@example.com', 'AUDITOR');
  });
  afterAll(async () => {
    await Promise.all(mcpClients.map((c) => c.close().catch(() => undefined)));
    await Promise.all(sockets.map((s) => s.dispose()));
    await hub?.close();
    await upstream?.stop();
  });

  const teamQuery = 'query($id: ID!){ team(id: $id){ slug myRole members { email role } } }';

  it('should make the creator its OWNER, list teams by membership (every team for admins and auditors) and hide others as NOT_FOUND', async () => {
    const team = await createTeam(alice, 'alpha');
    const { team: seen } = await alice.data<{ team: { myRole: string; members: { email: string; role: string }[] } }>(teamQuery, { id: team.id });
    expect(seen).toMatchObject({ myRole: 'OWNER', members: [{ email: 'alice@example.com', role: 'OWNER' }] });
    const slugs = async (client: GraphQLClient) => (await client.data<{ teams: { slug: string }[] }>('{ teams { slug } }')).teams.map((t) => t.slug);
    expect(await slugs(alice)).toEqual(['alpha']);
    expect(await slugs(mallory)).toEqual([]);
    expect(await slugs(admin)).toContain('alpha');
    expect(await slugs(auditor)).toContain('alpha');
    expect(errorCode(await mallory.request(teamQuery, { id: team.id }))).toBe('NOT_FOUND');
    expect(errorCode(await createTeamAs(auditor, 'audit-team'))).toBe('FORBIDDEN');
    expect(errorCode(await createTeamAs(bob, 'alpha'))).toBe('CONFLICT');
  });

  it('should add members by email, let only owners manage them and never remove or demote the last owner', async () => {
    const team = await createTeam(alice, 'beta');
    await alice.data('mutation($t: ID!, $e: String!){ addTeamMember(teamId: $t, email: $e){ id } }', { t: team.id, e: 'BOB@example.com' });
    expect(errorCode(await alice.request('mutation($t: ID!, $e: String!){ addTeamMember(teamId: $t, email: $e){ id } }', { t: team.id, e: 'bob@example.com' }))).toBe('CONFLICT');
    // A plain member sees the team but may not manage it; a stranger does not see it.
    expect(errorCode(await bob.request('mutation($t: ID!, $u: ID!){ removeTeamMember(teamId: $t, userId: $u){ id } }', { t: team.id, u: alice.userId }))).toBe('FORBIDDEN');
    expect(errorCode(await mallory.request('mutation($t: ID!, $u: ID!){ removeTeamMember(teamId: $t, userId: $u){ id } }', { t: team.id, u: bob.userId }))).toBe('NOT_FOUND');
    const lastOwner = await alice.request('mutation($t: ID!, $u: ID!){ removeTeamMember(teamId: $t, userId: $u){ id } }', { t: team.id, u: alice.userId });
    expect(errorCode(lastOwner)).toBe('CONFLICT');
    expect(lastOwner.errors?.[0].message).toMatch(/must keep an owner/);
    expect(errorCode(await alice.request('mutation($t: ID!, $u: ID!){ setTeamMemberRole(teamId: $t, userId: $u, role: MEMBER){ id } }', { t: team.id, u: alice.userId }))).toBe('CONFLICT');
    // With a second owner, the first may step down and leave.
    await alice.data('mutation($t: ID!, $u: ID!){ setTeamMemberRole(teamId: $t, userId: $u, role: OWNER){ id } }', { t: team.id, u: bob.userId });
    await alice.data('mutation($t: ID!, $u: ID!){ removeTeamMember(teamId: $t, userId: $u){ id } }', { t: team.id, u: alice.userId });
    const { team: after } = await bob.data<{ team: { members: { email: string; role: string }[] } }>(teamQuery, { id: team.id });
    expect(after.members).toEqual([{ email: 'bob@example.com', role: 'OWNER' }]);
    expect(errorCode(await alice.request(teamQuery, { id: team.id }))).toBe('NOT_FOUND');
  });

  it('should keep an owner when two owners remove each other at the same moment', async () => {
    // Several teams at once, so the two removals of each really overlap on PostgreSQL (PGlite runs them in turn).
    const teams = await Promise.all(['zeta-1', 'zeta-2', 'zeta-3', 'zeta-4'].map((slug) => createTeam(alice, slug)));
    for (const team of teams) await addTeamMember(alice, team.id, bob.userId, 'OWNER');
    const remove = (by: GraphQLClient, teamId: string, userId: string) =>
      by.request('mutation($t: ID!, $u: ID!){ removeTeamMember(teamId: $t, userId: $u){ id } }', { t: teamId, u: userId });
    const outcomes = await Promise.all(teams.flatMap((t) => [remove(alice, t.id, bob.userId), remove(bob, t.id, alice.userId)]));
    for (let i = 0; i < teams.length; i++) {
      expect([errorCode(outcomes[2 * i]), errorCode(outcomes[2 * i + 1])].sort()).toEqual(['CONFLICT', undefined]);
      const { team } = await admin.data<{ team: { members: { role: string }[] } }>(teamQuery, { id: teams[i].id });
      expect(team.members.map((m) => m.role)).toEqual(['OWNER']);
    }
  });

  it('should give team members the shared level on a server, list it for them, and take it away when unshared', async () => {
    const team = await createTeam(alice, 'gamma');
    await addTeamMember(alice, team.id, bob.userId);
    const server = await registerServer(alice, { name: 'gamma-server', transport: 'STREAMABLE_HTTP', url: upstream.url });
    const rename = 'mutation($id: ID!){ updateServer(id: $id, input: { description: "by bob" }){ id } }';
    const listed = async (client: GraphQLClient) => (await client.data<{ servers: { id: string }[] }>('{ servers { id } }')).servers.map((s) => s.id);

    expect(await listed(bob)).not.toContain(server.id);
    expect(errorCode(await bob.request('query($id: ID!){ server(id: $id){ id } }', { id: server.id }))).toBe('NOT_FOUND');
    await share(alice, 'Server', server.id, team.id, 'VIEWER');
    expect(await listed(bob)).toContain(server.id);
    expect(await listed(mallory)).not.toContain(server.id);
    const { server: seen } = await bob.data<{ server: { shares: { teamSlug: string; level: string }[] } }>('query($id: ID!){ server(id: $id){ shares { teamSlug level } } }', { id: server.id });
    expect(seen.shares).toEqual([{ teamSlug: 'gamma', level: 'VIEWER' }]);
    expect(errorCode(await bob.request(rename, { id: server.id }))).toBe('FORBIDDEN');

    await share(alice, 'Server', server.id, team.id, 'EDITOR');
    await bob.data(rename, { id: server.id });
    // EDITOR is not OWNER: no re-sharing, no deleting.
    expect(errorCode(await bob.request('mutation($id: ID!){ removeServer(id: $id) }', { id: server.id }))).toBe('FORBIDDEN');
    expect(errorCode(await bob.request('mutation($s: ID!, $t: ID!){ shareServer(serverId: $s, teamId: $t, level: OWNER){ id } }', { s: server.id, t: team.id }))).toBe('FORBIDDEN');
    // Only teams the sharer belongs to (a stranger's team is not found to them).
    const other = await createTeam(mallory, 'mallory-team');
    expect(errorCode(await alice.request('mutation($s: ID!, $t: ID!){ shareServer(serverId: $s, teamId: $t, level: VIEWER){ id } }', { s: server.id, t: other.id }))).toBe('NOT_FOUND');

    await alice.data('mutation($s: ID!, $t: ID!){ unshareServer(serverId: $s, teamId: $t){ id } }', { s: server.id, t: team.id });
    expect(await listed(bob)).not.toContain(server.id);
    expect(errorCode(await bob.request(rename, { id: server.id }))).toBe('NOT_FOUND');
  });

  it("should refuse an open session's next request at once when the group is unshared, the member leaves the team or the team is deleted", async () => {
    const team = await createTeam(alice, 'delta');
    await addTeamMember(alice, team.id, bob.userId);
    const server = await registerServer(alice, { name: 'delta-server', slug: 'delta-everything', transport: 'STREAMABLE_HTTP', url: upstream.url });
    const group = await createGroup(alice, 'delta-group', [server.id]);
    expect(errorCode(await createKeyAs(bob, [group.id]))).toBe('NOT_FOUND');
    await share(alice, 'Group', group.id, team.id, 'VIEWER');
    const groups = (await bob.data<{ groups: { slug: string }[] }>('{ groups { slug } }')).groups.map((g) => g.slug);
    expect(groups).toContain('delta-group');
    const key = await createKey(bob, { groupIds: [group.id] });

    /** Bob's agent in one session; asserts each refusal on the same session id, then regains access for the next step. */
    const client = await connectStreamable(hub.url, 'delta-group', key.secret);
    mcpClients.push(client);
    const sessionId = (client.transport as StreamableHTTPClientTransport).sessionId!;
    const listTools = () => rawPost(`${hub.url}/mcp/delta-group`, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }), { authorization: `Bearer ${key.secret}`, 'mcp-session-id': sessionId });
    expect(await client.callTool(ECHO('delta-everything'))).toMatchObject({ content: [{ type: 'text', text: 'Echo: hi' }] });

    // The gateway's in-memory view reloads on the config bus (milliseconds on this hub; other hubs via Redis).
    await alice.data('mutation($g: ID!, $t: ID!){ unshareGroup(groupId: $g, teamId: $t){ id } }', { g: group.id, t: team.id });
    await waitFor(async () => (await listTools()).status === 403, 5_000, 'the unshared group to be refused');
    await expect(client.callTool(ECHO('delta-everything'))).rejects.toThrow(/may not use group/);

    await share(alice, 'Group', group.id, team.id, 'VIEWER');
    await waitFor(async () => (await listTools()).status === 200, 10_000, 'access to come back after re-sharing');
    await alice.data('mutation($t: ID!, $u: ID!){ removeTeamMember(teamId: $t, userId: $u){ id } }', { t: team.id, u: bob.userId });
    expect((await listTools()).status).toBe(403);

    await addTeamMember(alice, team.id, bob.userId);
    await waitFor(async () => (await listTools()).status === 200, 10_000, 'access to come back after re-joining');
    await alice.data('mutation($id: ID!){ deleteTeam(id: $id) }', { id: team.id });
    expect((await listTools()).status).toBe(403);
  });

  it("should deliver a shared server's health transitions to the team's members, and stop when they leave the team", async () => {
    const team = await createTeam(alice, 'epsilon');
    await addTeamMember(alice, team.id, bob.userId);
    const shared = await registerServer(alice, { name: 'epsilon-shared', transport: 'STREAMABLE_HTTP', url: DEAD_URL });
    await share(alice, 'Server', shared.id, team.id, 'VIEWER');
    const bobSub = await subscribe(bob);
    const mallorySub = await subscribe(mallory);
    const bobProbe = await untilLive(bob, bobSub);
    await untilLive(mallory, mallorySub);

    // In embedded mode the hub's own health schedule checks servers too: drive a DOWN → HEALTHY transition.
    await health.check(shared.id, shared.id);
    await turn(alice, shared.id, 'HEALTHY');
    await waitFor(() => bobSub.received.includes(shared.id), 15_000, "Bob to receive the shared server's transition");

    await alice.data('mutation($t: ID!, $u: ID!){ removeTeamMember(teamId: $t, userId: $u){ id } }', { t: team.id, u: bob.userId });
    // A transition Bob may no longer see (HEALTHY → DOWN), then one of his own: one ordered stream, so when his
    // arrives, the other was filtered out.
    const sharedSeen = bobSub.received.filter((id) => id === shared.id).length;
    await turn(alice, shared.id, 'DOWN');
    const before = bobSub.received.length;
    await bobProbe.flip();
    await waitFor(() => bobSub.received.length > before, 15_000, 'Bob to receive his own transition');
    expect(bobSub.received.filter((id) => id === shared.id)).toHaveLength(sharedSeen);
    expect(mallorySub.received).not.toContain(shared.id);
    expect([...bobSub.errors, ...mallorySub.errors]).toEqual([]);
  });

  it('should sync directory groups onto the mapped teams only, by the highest mapped role, never dropping a last owner', async () => {
    const dave = await createPerson(admin, hub.url, 'dave@example.com');
    await createTeam(admin, 'platform');
    await createTeam(admin, 'data');
    const manual = await createTeam(admin, 'manual');
    await createTeam(dave, 'solo');
    await addTeamMember(admin, manual.id, dave.userId);
    const teams = hub.app.get(TeamsService);
    const roles = async () =>
      Object.fromEntries(
        (await dave.data<{ teams: { slug: string; myRole: string }[] }>('{ teams { slug myRole } }')).teams.map((t) => [t.slug, t.myRole]),
      );

    // solo: Dave is its only owner and no group of his maps to it; it is left as it is.
    expect(sorted(await teams.syncExternalMemberships(dave.userId, ['AAD-PLATFORM', 'aad-data', 'aad-unmapped']))).toEqual({ added: ['data', 'platform'], changed: [], removed: [], kept: ['solo'] });
    expect(await roles()).toEqual({ platform: 'MEMBER', data: 'MEMBER', manual: 'MEMBER', solo: 'OWNER' });

    const second = await teams.syncExternalMemberships(dave.userId, ['aad-platform', 'aad-platform-leads']);
    expect(second).toMatchObject({ added: [], changed: ['platform'], removed: ['data'], kept: ['solo'] });
    expect(await roles()).toEqual({ platform: 'OWNER', manual: 'MEMBER', solo: 'OWNER' });

    expect(await teams.syncExternalMemberships(dave.userId, ['aad-platform', 'aad-platform-leads'])).toEqual({ added: [], changed: [], removed: [], kept: ['solo'] });
  });

  function createTeamAs(client: GraphQLClient, slug: string) {
    return client.request('mutation($i: CreateTeamInput!){ createTeam(input: $i){ id } }', { i: { name: slug, slug } });
  }

  function createKeyAs(client: GraphQLClient, groupIds: string[]) {
    return client.request('mutation($i: CreateApiKeyInput!){ createApiKey(input: $i){ secret } }', { i: { name: 'k', groupIds } });
  }

  const health = { check: (serverId: string, replicaId: string) => hub.app.get(ServerHealthService).check(serverId, replicaId) };
  const turn = (owner: GraphQLClient, serverId: string, status: 'HEALTHY' | 'DOWN') => turnServer(hub.app, owner, serverId, status, upstream.url);

  /**
   * graphql-ws does not acknowledge a subscription: until the subscriber has received a transition of a server of
   * their own (flipped between down and up until one arrives), events sent to them could be lost unseen.
   */
  async function untilLive(client: GraphQLClient, sub: { received: string[] }) {
    const probe = await registerServer(client, { name: `probe-${Math.random().toString(36).slice(2, 8)}`, transport: 'STREAMABLE_HTTP', url: DEAD_URL });
    let up = false;
    const flip = () => turn(client, probe.id, (up = !up) ? 'HEALTHY' : 'DOWN');
    await health.check(probe.id, probe.id);
    await waitFor(async () => sub.received.includes(probe.id) || (await flip(), false), 30_000, 'the subscription to be live');
    return { flip };
  }

  /** Subscribes to every transition the client may see; server ids land in `received`. */
  async function subscribe(client: GraphQLClient) {
    const ws = createClient({ url: hub.url.replace('http', 'ws') + '/graphql', webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${client.token}` } });
    sockets.push(ws);
    const received: string[] = [];
    const errors: unknown[] = [];
    await new Promise<void>((resolve) => {
      ws.on('connected', () => resolve());
      ws.subscribe(
        { query: 'subscription { serverStatusChanged { serverId } }' },
        { next: (m) => void received.push((m.data as { serverStatusChanged: { serverId: string } }).serverStatusChanged.serverId), error: (e) => void errors.push(e), complete: () => undefined },
      );
    });
    return { received, errors };
  }
});

/** The sync walks teams in id order: compare its lists as sets. */
function sorted(result: object) {
  return Object.fromEntries(Object.entries(result).map(([k, v]) => [k, [...v].sort()]));
}

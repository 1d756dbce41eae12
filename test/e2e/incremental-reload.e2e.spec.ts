import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ConfigChangeBus } from '#core';
import { GroupsService } from '#groups';
import { CallCaptureRegistry } from '#keys';
import { ServersService } from '#servers';
import { ServerSecrets } from '../../libs/servers/src/server-secrets.js';
import { createHubApp } from '../../apps/hub/src/create-hub-app.js';
import { GatewayView } from '../../libs/mcp-gateway/src/catalog/gateway-view.service.js';
import { GraphQLClient } from '../support/graphql-client.js';
import { startHub, type RunningHub } from '../support/hub-app.js';
import { createGroup, createKey, createPerson, registerServer } from '../support/hub-fixtures.js';
import { hubTargetRows } from '../support/hub-targets.js';
import { waitFor } from '../support/upstreams.js';

const SERVERS = 12;
/** Nothing listens there: no upstream is ever started, health checks fail fast. */
const unreachable = (port: number) => ({ transport: 'STREAMABLE_HTTP', url: `http://127.0.0.1:${port}/mcp`, headers: [{ name: 'Authorization', value: `Bearer secret-${port}` }] });

/** Records the endpoint id of every server whose secrets `secrets` opens (the call still runs). */
function countOpened(secrets: ServerSecrets, into: string[]): void {
  const transportConfig = secrets.transportConfig.bind(secrets);
  secrets.transportConfig = (endpoint) => (into.push(endpoint.id), transportConfig(endpoint));
}

/**
 * A change to one server or group reloads only it (and the groups it is in, and a group's rules) into the
 * gateway's view: the other servers' secrets are not opened again. `*` (a restore, a missed message) reloads all.
 */
describe.each(hubTargetRows)('incremental gateway view reloads (%s)', (_name, target) => {
  let hub: RunningHub;
  let admin: GraphQLClient;
  let view: GatewayView;
  const servers: { id: string; slug: string }[] = [];
  let alpha: { id: string; slug: string };
  let beta: { id: string; slug: string };
  /** Endpoint ids whose secrets were opened, and calls of the view's whole-table reads, since the last reset. */
  const opened: string[] = [];
  const wholeReads: string[] = [];
  /** Groups whose cached catalog the view dropped. */
  const invalidated: string[] = [];
  const reset = () => {
    opened.length = 0;
    wholeReads.length = 0;
    invalidated.length = 0;
  };
  const gql = (query: string, variables: Record<string, unknown>) => admin.data(query, variables);

  beforeAll(async () => {
    hub = await startHub(target.database, target.env);
    admin = new GraphQLClient(hub.url);
    await admin.login('admin@example.com', 'admin-password-123');
    for (let i = 0; i < SERVERS; i++) servers.push(await registerServer(admin, { name: `server ${i}`, slug: `server${i}`, ...unreachable(1 + i) }));
    alpha = await createGroup(admin, 'alpha', [servers[0].id, servers[1].id]);
    beta = await createGroup(admin, 'beta', [servers[2].id]);
    view = hub.app.get(GatewayView);
    view.addListener({ onGroupChanged: (slug) => invalidated.push(slug) });
    // Counting the real calls (they still run): which secrets are opened, and whether a whole table is read.
    countOpened(hub.app.get(ServerSecrets), opened);
    for (const [name, service] of [['servers', hub.app.get(ServersService)], ['groups', hub.app.get(GroupsService)]] as const) {
      const resolveAll = service.resolveAll.bind(service) as () => Promise<never[]>;
      service.resolveAll = () => (wholeReads.push(name), resolveAll());
    }
  }, 120_000);

  afterAll(async () => {
    await hub?.close();
  });

  it('should open only the changed server\'s secrets and rebuild only the catalogs of its groups', async () => {
    reset();
    await gql('mutation($id: ID!, $i: UpdateServerInput!){ updateServer(id: $id, input: $i){ id } }', { id: servers[1].id, i: { url: 'http://127.0.0.1:40001/mcp' } });
    // The view and the health scheduler each read it once; none of the other servers.
    expect(new Set(opened)).toEqual(new Set([servers[1].id]));
    expect(wholeReads).toEqual([]);
    expect(view.server(servers[1].id)?.transport).toMatchObject({ url: 'http://127.0.0.1:40001/mcp', headers: { Authorization: 'Bearer secret-2' } });
    expect(new Set(invalidated)).toEqual(new Set(['alpha']));
  });

  it('should apply a server moving between groups to both, without opening any secret', async () => {
    reset();
    await gql('mutation($g: ID!, $s: ID!){ removeServerFromGroup(groupId: $g, serverId: $s){ id } }', { g: alpha.id, s: servers[1].id });
    await gql('mutation($g: ID!, $s: ID!){ addServerToGroup(groupId: $g, serverId: $s){ id } }', { g: beta.id, s: servers[1].id });
    expect(view.group('alpha')?.serverIds).toEqual([servers[0].id]);
    expect(view.group('beta')?.serverIds).toEqual([servers[2].id, servers[1].id]);
    expect(opened).toEqual([]);
    expect(wholeReads).toEqual([]);
    expect(new Set(invalidated)).toEqual(new Set(['alpha', 'beta']));
  });

  it('should follow a renamed group to its new endpoint and drop the old one', async () => {
    reset();
    await gql('mutation($id: ID!, $i: UpdateGroupInput!){ updateGroup(id: $id, input: $i){ id } }', { id: beta.id, i: { slug: 'gamma' } });
    expect(view.group('beta')).toBeUndefined();
    expect(view.group('gamma')?.id).toBe(beta.id);
    expect(view.groupById(beta.id)?.slug).toBe('gamma');
    expect(new Set(invalidated)).toEqual(new Set(['beta', 'gamma']));
    expect(opened).toEqual([]);
  });

  it('should remove a deleted server from the view and from the groups it was in', async () => {
    reset();
    await gql('mutation($id: ID!){ removeServer(id: $id) }', { id: servers[0].id });
    expect(view.server(servers[0].id)).toBeUndefined();
    expect(view.group('alpha')?.serverIds).toEqual([]);
    expect(view.server(servers[3].id)).toBeDefined();
    expect(opened).toEqual([]);
    expect(wholeReads).toEqual([]);
    expect(new Set(invalidated)).toEqual(new Set(['alpha']));
  });

  it('should remove a deleted group from the view', async () => {
    reset();
    await gql('mutation($id: ID!){ removeGroup(id: $id) }', { id: alpha.id });
    expect(view.group('alpha')).toBeUndefined();
    expect(view.groupById(alpha.id)).toBeUndefined();
    expect(view.group('gamma')).toBeDefined();
    expect(opened).toEqual([]);
  });

  it("should re-read a person's servers when their role changes: it decides the servers' egress policy", async () => {
    const member = await createPerson(admin, hub.url, 'owner@example.com');
    const own = await registerServer(member, { name: 'owned', slug: 'owned', ...unreachable(40002) });
    expect(view.server(own.id)?.transport).toMatchObject({ egress: 'restricted' });
    reset();
    await gql('mutation($id: ID!, $i: UpdateUserInput!){ updateUser(id: $id, input: $i){ id } }', { id: member.userId, i: { role: 'ADMIN' } });
    expect(view.server(own.id)?.transport).toMatchObject({ egress: 'unrestricted' });
    expect(new Set(opened)).toEqual(new Set([own.id]));
  });

  it('should apply a change that arrives while a reload is under way, in the pass after it', async () => {
    const groups = hub.app.get(GroupsService);
    const resolveMany = groups.resolveMany.bind(groups);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inPass = new Promise<void>((resolve) => (entered = resolve));
    // Only the view reads groups on a server change: its first pass waits here until released.
    groups.resolveMany = async (ids) => {
      entered();
      await held;
      return resolveMany(ids);
    };
    const updateUrl = (id: string, url: string) => gql('mutation($id: ID!, $i: UpdateServerInput!){ updateServer(id: $id, input: $i){ id } }', { id, i: { url } });
    let published!: () => void;
    const secondPublished = new Promise<void>((resolve) => (published = resolve));
    const unsubscribe = hub.app.get(ConfigChangeBus).subscribe((change) => change.id === servers[7].id && published());
    try {
      const first = updateUrl(servers[6].id, 'http://127.0.0.1:40006/mcp');
      await inPass;
      const second = updateUrl(servers[7].id, 'http://127.0.0.1:40007/mcp');
      // The second mutation has saved and published its change while the first pass still waits.
      await secondPublished;
      release();
      await Promise.all([first, second]);
    } finally {
      release();
      unsubscribe();
      groups.resolveMany = resolveMany;
    }
    const url = (id: string) => (view.server(id)?.transport as { url?: string } | undefined)?.url;
    expect([url(servers[6].id), url(servers[7].id)]).toEqual(['http://127.0.0.1:40006/mcp', 'http://127.0.0.1:40007/mcp']);
  });

  it('should reload everything on `*` (a restore, or a hub that missed a message)', async () => {
    reset();
    await hub.app.get(ConfigChangeBus).publish({ kind: 'server', id: '*' });
    expect(wholeReads).toEqual(expect.arrayContaining(['groups', 'servers']));
    for (const { id } of servers.slice(1)) expect(opened).toContain(id);
  });

  (target.env.REDIS_URL ? it : it.skip)('should apply a change heard from another hub the same way: that server, that capture target only', async () => {
    const other = await createHubApp(hub.config, { schemaFile: false });
    try {
      await other.listen(0, '127.0.0.1');
      const otherOpened: string[] = [];
      countOpened(other.get(ServerSecrets), otherOpened);
      const otherView = other.get(GatewayView);
      await gql('mutation($id: ID!, $i: UpdateServerInput!){ updateServer(id: $id, input: $i){ id } }', { id: servers[5].id, i: { url: 'http://127.0.0.1:40005/mcp' } });
      const urlOnOther = () => (otherView.server(servers[5].id)?.transport as { url?: string } | undefined)?.url;
      await waitFor(() => urlOnOther() === 'http://127.0.0.1:40005/mcp', 10_000, 'the other hub to apply the server change');
      expect(new Set(otherOpened)).toEqual(new Set([servers[5].id]));

      const key = await createKey(admin);
      await gql('mutation($t: CallCaptureTarget!, $id: ID!, $m: Int!){ enableCallCapture(target: $t, id: $id, minutes: $m){ expiresAt } }', { t: 'KEY', id: key.id, m: 5 });
      const registry = other.get(CallCaptureRegistry);
      await waitFor(() => registry.capturing(key.id, null), 10_000, 'the other hub to start capturing the key');
      await gql('mutation($t: CallCaptureTarget!, $id: ID!){ disableCallCapture(target: $t, id: $id) }', { t: 'KEY', id: key.id });
      await waitFor(() => !registry.capturing(key.id, null), 10_000, 'the other hub to stop capturing the key');
    } finally {
      await other.close();
    }
  }, 60_000);
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { DataSource, type EntityManager } from 'typeorm';
import { ConfigChangeBus, type ConfigChange } from '#core';
import { GroupRevisionsService, GroupsService } from '#groups';
import { databaseTargets } from '../support/database-targets.js';
import { GraphQLClient, errorCode } from '../support/graphql-client.js';
import { createKey, registerServer } from '../support/hub-fixtures.js';
import { startHub, type RunningHub } from '../support/hub-app.js';
import { connectStreamable } from '../support/mcp-clients.js';
import { everythingStdio, waitFor } from '../support/upstreams.js';

const ADMIN = { email: 'admin@example.com', password: 'admin-password-123' };
const MEMBER = { email: 'member@example.com', password: 'member-password-1' };
// Never connected: only membership matters for these servers.
const NOWHERE = 'http://127.0.0.1:9/mcp';
const GROUP_FIELDS = 'id name slug description toolNaming toolFilterMode toolFilter servers { id }';
/** Routing rules are part of every snapshot (a revision participant); these groups have none. */
const NO_RULES = '{"routingRules":[]}';
const REVISION_FIELDS = 'id revision reason createdBy createdAt snapshot { name slug description toolNaming toolFilterMode toolFilter serverIds parts }';

interface GroupView {
  id: string;
  name: string;
  slug: string;
  description: string | null;
  toolFilterMode: string;
  toolFilter: string[];
  servers: { id: string }[];
}
interface Snapshot {
  name: string;
  slug: string;
  description: string | null;
  toolFilterMode: string;
  toolFilter: string[];
  serverIds: string[];
  parts: string | null;
}
interface RevisionView {
  id: string;
  revision: number;
  reason: string;
  createdBy: string | null;
  createdAt: string;
  snapshot: Snapshot;
}

describe.each(databaseTargets.map((t) => [t.name, t] as const))('group revisions on %s', (_name, target) => {
  let hub: RunningHub;
  let admin: GraphQLClient;
  let member: GraphQLClient;
  let db: DataSource;
  let adminId: string;
  let memberId: string;
  const changes: ConfigChange[] = [];
  const ids: Record<'everything' | 'alpha' | 'beta' | 'gamma' | 'memberHttp', string> = {
    everything: '',
    alpha: '',
    beta: '',
    gamma: '',
    memberHttp: '',
  };
  let team: GroupView;
  let other: GroupView;

  const revisions = async (groupId: string, client = admin, page = 'first: 100') =>
    (await client.data<{ groupRevisions: RevisionView[] }>(`query($g: ID!){ groupRevisions(groupId: $g, ${page}){ ${REVISION_FIELDS} } }`, { g: groupId }))
      .groupRevisions;
  const latest = async (groupId: string) => (await revisions(groupId, admin, 'first: 1'))[0];
  const revisionCount = async (groupId: string) =>
    Number((await db.query('SELECT count(*)::int AS n FROM group_revisions WHERE group_id = $1', [groupId]))[0].n);
  /** The group's stored configuration, straight from the tables. */
  const stored = async (groupId: string) => {
    const [group] = await db.query('SELECT name, slug, description, tool_naming, tool_filter_mode, tool_filter FROM groups WHERE id = $1', [groupId]);
    const members = await db.query('SELECT server_id FROM group_servers WHERE group_id = $1 ORDER BY position, created_at', [groupId]);
    return { ...group, serverIds: members.map((m: { server_id: string }) => m.server_id) };
  };
  const rollback = (groupId: string, revision: number, client = admin) =>
    client.request<{ rollbackGroup: GroupView }>(`mutation($g: ID!, $r: Int!){ rollbackGroup(groupId: $g, revision: $r){ ${GROUP_FIELDS} } }`, {
      g: groupId,
      r: revision,
    });
  const update = (groupId: string, input: string, client = admin) =>
    client.request<{ updateGroup: GroupView }>(`mutation($id: ID!){ updateGroup(id: $id, input: ${input}){ ${GROUP_FIELDS} } }`, { id: groupId });
  const addServer = (groupId: string, serverId: string, client = admin) =>
    client.request<{ addServerToGroup: GroupView }>(`mutation($g: ID!, $s: ID!){ addServerToGroup(groupId: $g, serverId: $s){ ${GROUP_FIELDS} } }`, {
      g: groupId,
      s: serverId,
    });
  const removeServer = (groupId: string, serverId: string, client = admin) =>
    client.request<{ removeServerFromGroup: GroupView }>(
      `mutation($g: ID!, $s: ID!){ removeServerFromGroup(groupId: $g, serverId: $s){ ${GROUP_FIELDS} } }`,
      { g: groupId, s: serverId },
    );
  const createGroup = async (input: string, client = admin) =>
    (await client.data<{ createGroup: GroupView }>(`mutation{ createGroup(input: ${input}){ ${GROUP_FIELDS} } }`)).createGroup;
  /** Runs a mutation that must succeed and checks it added exactly one revision; returns that revision. */
  const oneRevision = async (groupId: string, mutation: () => Promise<{ errors?: unknown[] }>) => {
    const before = await revisionCount(groupId);
    const res = await mutation();
    expect(res.errors).toBeUndefined();
    expect(await revisionCount(groupId)).toBe(before + 1);
    const revision = await latest(groupId);
    expect(revision.revision).toBe(before + 1);
    return revision;
  };

  beforeAll(async () => {
    hub = await startHub(target);
    db = hub.app.get(DataSource);
    // Configuration changes only: health checks also publish (server-health), on their own schedule.
    hub.app.get(ConfigChangeBus).subscribe((change) => change.kind !== 'server-health' && changes.push(change));
    admin = new GraphQLClient(hub.url);
    await admin.login(ADMIN.email, ADMIN.password);
    adminId = (await admin.data<{ me: { id: string } }>('{ me { id } }')).me.id;
    memberId = (
      await admin.data<{ createUser: { id: string } }>('mutation($e: String!, $p: String!){ createUser(input:{ email: $e, password: $p }){ id } }', {
        e: MEMBER.email,
        p: MEMBER.password,
      })
    ).createUser.id;
    member = new GraphQLClient(hub.url);
    await member.login(MEMBER.email, MEMBER.password);
    ids.everything = (await registerServer(admin, { name: 'Everything', slug: 'everything', transport: 'STDIO', ...everythingStdio() })).id;
    ids.alpha = (await registerServer(admin, { name: 'Alpha', transport: 'STREAMABLE_HTTP', url: NOWHERE })).id;
    ids.beta = (await registerServer(admin, { name: 'Beta', transport: 'STREAMABLE_HTTP', url: NOWHERE })).id;
    ids.gamma = (await registerServer(admin, { name: 'Gamma', transport: 'STREAMABLE_HTTP', url: NOWHERE })).id;
    ids.memberHttp = (await registerServer(member, { name: 'Member HTTP', transport: 'STREAMABLE_HTTP', url: NOWHERE })).id;
  });
  afterAll(() => hub?.close());

  describe('recording', () => {
    it('should record revision 1 for createGroup with the initial snapshot', async () => {
      team = await createGroup('{ name: "Team", slug: "team", description: "first" }');
      const listed = await revisions(team.id);
      expect(listed).toEqual([
        {
          id: expect.any(String),
          revision: 1,
          reason: 'createGroup',
          createdBy: adminId,
          createdAt: expect.any(String),
          snapshot: {
            name: 'Team',
            slug: 'team',
            description: 'first',
            toolNaming: 'PREFIX_WHEN_NEEDED',
            toolFilterMode: 'NONE',
            toolFilter: [],
            serverIds: [],
            parts: NO_RULES,
          },
        },
      ]);
    });

    it('should record exactly one revision per mutation, holding the configuration after it', async () => {
      const added = await oneRevision(team.id, () => addServer(team.id, ids.alpha));
      expect(added).toMatchObject({ reason: 'addServerToGroup alpha', createdBy: adminId, snapshot: { serverIds: [ids.alpha] } });
      const second = await oneRevision(team.id, () => addServer(team.id, ids.beta));
      expect(second).toMatchObject({ revision: 3, reason: 'addServerToGroup beta', snapshot: { serverIds: [ids.alpha, ids.beta] } });

      const updated = await oneRevision(team.id, () =>
        update(team.id, '{ name: "Team Renamed", slug: "team-renamed", description: null, toolNaming: NONE, toolFilterMode: ALLOW, toolFilter: ["alpha__x", "beta__y"] }'),
      );
      expect(updated).toMatchObject({
        revision: 4,
        reason: 'updateGroup',
        snapshot: {
          name: 'Team Renamed',
          slug: 'team-renamed',
          description: null,
          toolNaming: 'NONE',
          toolFilterMode: 'ALLOW',
          toolFilter: ['alpha__x', 'beta__y'],
          serverIds: [ids.alpha, ids.beta],
          parts: NO_RULES,
        },
      });

      const removed = await oneRevision(team.id, () => removeServer(team.id, ids.alpha));
      expect(removed).toMatchObject({ revision: 5, reason: 'removeServerFromGroup alpha', snapshot: { serverIds: [ids.beta], toolFilterMode: 'ALLOW' } });
    });

    it('should list newest first with bounded paging', async () => {
      expect((await revisions(team.id)).map((r) => r.revision)).toEqual([5, 4, 3, 2, 1]);
      expect((await revisions(team.id, admin, 'first: 2, offset: 1')).map((r) => r.revision)).toEqual([4, 3]);
      expect(errorCode(await admin.request('query($g: ID!){ groupRevisions(groupId: $g, first: 101){ id } }', { g: team.id }))).toBe('BAD_USER_INPUT');
      const bad = await admin.request('{ groupRevisions(groupId: "nope"){ id } }');
      expect(errorCode(bad)).toBe('BAD_USER_INPUT');
      expect(bad.errors?.[0].message).toContain('groupId');
      expect(errorCode(await admin.request('{ groupRevisions(groupId: "00000000-0000-4000-8000-000000000000"){ id } }'))).toBe('NOT_FOUND');
    });

    it('should record nothing when a mutation fails', async () => {
      other = await createGroup('{ name: "Other", slug: "other" }');
      const before = await revisionCount(team.id);
      const state = await stored(team.id);
      expect(errorCode(await addServer(team.id, ids.beta))).toBe('CONFLICT');
      expect(errorCode(await addServer(team.id, '00000000-0000-4000-8000-000000000000'))).toBe('NOT_FOUND');
      expect(errorCode(await removeServer(team.id, ids.alpha))).toBe('NOT_FOUND');
      expect(errorCode(await update(team.id, '{ toolFilter: ["bad.name"] }'))).toBe('BAD_USER_INPUT');
      const taken = await update(team.id, '{ slug: "other", name: "would be lost" }');
      expect(errorCode(taken)).toBe('CONFLICT');
      expect(taken.errors?.[0].extensions?.field).toBe('input.slug');
      expect(await revisionCount(team.id)).toBe(before);
      expect(await stored(team.id)).toEqual(state);
    });

    it('should give concurrent changes to one group distinct, consecutive revision numbers', async () => {
      const busy = await createGroup('{ name: "Busy" }');
      const results = await Promise.all([
        ...Array.from({ length: 6 }, (_, i) => update(busy.id, `{ description: "writer ${i}" }`)),
        addServer(busy.id, ids.alpha),
        addServer(busy.id, ids.beta),
        addServer(busy.id, ids.gamma),
      ]);
      expect(results.flatMap((r) => r.errors ?? [])).toEqual([]);
      expect((await revisions(busy.id)).map((r) => r.revision)).toEqual([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
      const positions = await db.query('SELECT position FROM group_servers WHERE group_id = $1 ORDER BY position', [busy.id]);
      expect(positions.map((p: { position: number }) => p.position)).toEqual([0, 1, 2]);
      expect((await latest(busy.id)).snapshot.serverIds).toHaveLength(3);
    });
  });

  describe('rollback', () => {
    it('should restore fields, tool filter and membership atomically and record a new revision', async () => {
      changes.length = 0;
      const res = await rollback(team.id, 3);
      expect(res.errors).toBeUndefined();
      expect(res.data!.rollbackGroup).toMatchObject({
        id: team.id,
        name: 'Team',
        slug: 'team',
        description: 'first',
        toolNaming: 'PREFIX_WHEN_NEEDED',
        toolFilterMode: 'NONE',
        toolFilter: [],
        servers: [{ id: ids.alpha }, { id: ids.beta }],
      });
      expect(changes).toContainEqual({ kind: 'group', id: team.id });
      const history = await revisions(team.id);
      const [newest, target] = [history[0], history.find((r) => r.revision === 3)!];
      expect(newest).toMatchObject({ revision: 6, reason: 'rollbackGroup to 3', createdBy: adminId });
      expect(newest.snapshot).toEqual(target.snapshot);
      expect(await stored(team.id)).toEqual({
        name: 'Team',
        slug: 'team',
        description: 'first',
        tool_naming: 'PREFIX_WHEN_NEEDED',
        tool_filter_mode: 'NONE',
        tool_filter: [],
        serverIds: [ids.alpha, ids.beta],
      });
      expect(await hub.app.get(GroupsService).resolveOne(team.id)).toMatchObject({
        slug: 'team',
        serverIds: [ids.alpha, ids.beta],
        toolFilter: { mode: 'NONE', tools: [] },
      });
    });

    it('should remove, add and reorder members to match the revision', async () => {
      expect(errorCode(await rollback(team.id, 5))).toBeUndefined();
      expect(await stored(team.id)).toMatchObject({ slug: 'team-renamed', tool_naming: 'NONE', tool_filter_mode: 'ALLOW', serverIds: [ids.beta] });
      expect((await addServer(team.id, ids.alpha)).data?.addServerToGroup.servers).toEqual([{ id: ids.beta }, { id: ids.alpha }]);
      const back = await rollback(team.id, 3);
      expect(back.data?.rollbackGroup.servers).toEqual([{ id: ids.alpha }, { id: ids.beta }]);
      expect((await revisions(team.id, admin, 'first: 4')).map((r) => r.reason)).toEqual([
        'rollbackGroup to 3',
        'addServerToGroup alpha',
        'rollbackGroup to 5',
        'rollbackGroup to 3',
      ]);
    });

    it('should refuse a revision with a server that no longer exists, naming it, and change nothing', async () => {
      const withGamma = await oneRevision(team.id, () => addServer(team.id, ids.gamma));
      await oneRevision(team.id, () => update(team.id, '{ toolFilterMode: DENY, toolFilter: ["alpha__x"] }'));
      expect((await admin.data<{ removeServer: boolean }>('mutation($id: ID!){ removeServer(id: $id) }', { id: ids.gamma })).removeServer).toBe(true);
      const before = { state: await stored(team.id), count: await revisionCount(team.id) };
      const res = await rollback(team.id, withGamma.revision);
      expect(errorCode(res)).toBe('CONFLICT');
      expect(res.errors?.[0].message).toContain(ids.gamma);
      expect(res.errors?.[0].extensions?.missingServerIds).toEqual([ids.gamma]);
      expect({ state: await stored(team.id), count: await revisionCount(team.id) }).toEqual(before);
    });

    it('should refuse a slug another group took since, naming input.slug, and change nothing', async () => {
      await oneRevision(team.id, () => update(team.id, '{ slug: "team-moved" }'));
      expect((await update(other.id, '{ slug: "team" }')).errors).toBeUndefined();
      const before = { state: await stored(team.id), count: await revisionCount(team.id) };
      const res = await rollback(team.id, 3);
      expect(errorCode(res)).toBe('CONFLICT');
      expect(res.errors?.[0].message).toContain('input.slug');
      expect(res.errors?.[0].extensions?.field).toBe('input.slug');
      expect({ state: await stored(team.id), count: await revisionCount(team.id) }).toEqual(before);
    });

    it('should answer NOT_FOUND for an unknown revision or group and BAD_USER_INPUT for malformed arguments', async () => {
      const count = await revisionCount(team.id);
      const unknown = await rollback(team.id, 999);
      expect(errorCode(unknown)).toBe('NOT_FOUND');
      expect(unknown.errors?.[0].message).toContain('Revision 999');
      expect(errorCode(await rollback('00000000-0000-4000-8000-000000000000', 1))).toBe('NOT_FOUND');
      const zero = await rollback(team.id, 0);
      expect(errorCode(zero)).toBe('BAD_USER_INPUT');
      expect(zero.errors?.[0].message).toContain('revision');
      const badId = await rollback('nope', 1);
      expect(errorCode(badId)).toBe('BAD_USER_INPUT');
      expect(badId.errors?.[0].message).toContain('groupId');
      expect(await revisionCount(team.id)).toBe(count);
    });
  });

  describe('members', () => {
    it("should hide other people's group history and forbid rolling it back", async () => {
      const before = { state: await stored(team.id), count: await revisionCount(team.id) };
      expect(errorCode(await member.request('query($g: ID!){ groupRevisions(groupId: $g){ id } }', { g: team.id }))).toBe('NOT_FOUND');
      expect(errorCode(await rollback(team.id, 1, member))).toBe('NOT_FOUND');
      expect({ state: await stored(team.id), count: await revisionCount(team.id) }).toEqual(before);
    });

    it('should let members keep and roll back the history of their own groups', async () => {
      const own = await createGroup('{ name: "Member Group" }', member);
      await oneRevision(own.id, () => addServer(own.id, ids.memberHttp, member));
      expect((await revisions(own.id, member)).map((r) => [r.revision, r.reason, r.createdBy])).toEqual([
        [2, 'addServerToGroup member-http', memberId],
        [1, 'createGroup', memberId],
      ]);
      const back = await rollback(own.id, 1, member);
      expect(back.data?.rollbackGroup.servers).toEqual([]);

      // An admin put their server in the member's group and took it out again: the member may not bring it back.
      const byAdmin = await oneRevision(own.id, () => addServer(own.id, ids.beta));
      expect(byAdmin.createdBy).toBe(adminId);
      await oneRevision(own.id, () => removeServer(own.id, ids.beta, member));
      const before = { state: await stored(own.id), count: await revisionCount(own.id) };
      expect(errorCode(await rollback(own.id, byAdmin.revision, member))).toBe('FORBIDDEN');
      expect({ state: await stored(own.id), count: await revisionCount(own.id) }).toEqual(before);
      expect((await rollback(own.id, byAdmin.revision)).data?.rollbackGroup.servers).toEqual([{ id: ids.beta }]);
      // Keeping a server someone else added is fine.
      expect(errorCode(await rollback(own.id, byAdmin.revision, member))).toBeUndefined();
    });
  });

  describe('participants', () => {
    const restored: { groupId: string; data: unknown; inTransaction: boolean }[] = [];
    let failCapture = false;
    let failRestore = false;
    let unregister: () => void;
    let withParts: GroupView;

    beforeAll(() => {
      unregister = hub.app.get(GroupRevisionsService).registerParticipant({
        key: 'e2e-members',
        async capture(manager: EntityManager, groupId: string) {
          if (failCapture) throw new Error('capture failed');
          const [row] = await manager.query('SELECT count(*)::int AS n FROM group_servers WHERE group_id = $1', [groupId]);
          return { members: row.n };
        },
        async restore(manager: EntityManager, groupId: string, data: unknown) {
          restored.push({ groupId, data, inTransaction: manager.queryRunner?.isTransactionActive === true });
          if (failRestore) throw new Error('restore failed');
        },
      });
    });
    afterAll(() => unregister?.());

    it('should store what a participant captures under its key and hand it back on rollback in the transaction', async () => {
      withParts = await createGroup('{ name: "With Parts" }');
      await addServer(withParts.id, ids.alpha);
      expect((await revisions(withParts.id)).map((r) => JSON.parse(r.snapshot.parts!))).toEqual([
        { routingRules: [], 'e2e-members': { members: 1 } },
        { routingRules: [], 'e2e-members': { members: 0 } },
      ]);
      expect((await rollback(withParts.id, 1)).errors).toBeUndefined();
      expect(restored).toEqual([{ groupId: withParts.id, data: { members: 0 }, inTransaction: true }]);
      // A revision from before the participant registered gives it undefined.
      restored.length = 0;
      expect((await rollback(other.id, 1)).errors).toBeUndefined();
      expect(restored).toEqual([{ groupId: other.id, data: undefined, inTransaction: true }]);
    });

    it('should leave neither the change nor a revision when recording fails', async () => {
      const before = { state: await stored(team.id), count: await revisionCount(team.id) };
      failCapture = true;
      try {
        expect(errorCode(await update(team.id, '{ name: "never stored", toolFilterMode: DENY, toolFilter: ["x"] }'))).toBe('INTERNAL_SERVER_ERROR');
        expect(errorCode(await addServer(team.id, ids.everything))).toBe('INTERNAL_SERVER_ERROR');
      } finally {
        failCapture = false;
      }
      expect({ state: await stored(team.id), count: await revisionCount(team.id) }).toEqual(before);
    });

    it('should undo the whole rollback when a participant fails to restore', async () => {
      await oneRevision(withParts.id, () => update(withParts.id, '{ name: "Parts Renamed", toolFilterMode: ALLOW, toolFilter: ["beta__y"] }'));
      const before = { state: await stored(withParts.id), count: await revisionCount(withParts.id) };
      failRestore = true;
      try {
        expect(errorCode(await rollback(withParts.id, 2))).toBe('INTERNAL_SERVER_ERROR');
      } finally {
        failRestore = false;
      }
      expect({ state: await stored(withParts.id), count: await revisionCount(withParts.id) }).toEqual(before);
    });
  });

  describe('live sessions', () => {
    let client: Client | undefined;
    afterAll(() => client?.close().catch(() => undefined));

    it('should show an open MCP session the rolled-back tool list and naming', async () => {
      const live = await createGroup('{ name: "Live", slug: "live" }');
      await addServer(live.id, ids.everything);
      const key = await createKey(admin);
      client = await connectStreamable(hub.url, 'live', key.secret);
      const full = (await client.listTools()).tools.map((t) => t.name).sort();
      expect(full.length).toBeGreaterThan(1);
      expect(full).toContain('echo'); // one server: PREFIX_WHEN_NEEDED leaves its names alone
      const unfiltered = (await latest(live.id)).revision;

      // The prefixed form names the tool in every naming mode.
      await oneRevision(live.id, () => update(live.id, '{ toolFilterMode: ALLOW, toolFilter: ["everything__echo"] }'));
      const names = async () => (await client!.listTools()).tools.map((t) => t.name).sort();
      await waitFor(async () => (await names()).join() === 'echo', 10_000, 'the filtered tool list');
      await oneRevision(live.id, () => update(live.id, '{ toolNaming: PREFIX_ALWAYS }'));
      await waitFor(async () => (await names()).join() === 'everything__echo', 10_000, 'the filtered tool list, prefixed');

      expect((await rollback(live.id, unfiltered)).errors).toBeUndefined();
      await waitFor(async () => (await names()).join() === full.join(), 10_000, 'the full tool list after rollback');
    });
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { databaseTargets } from '../support/database-targets.js';
import { GraphQLClient } from '../support/graphql-client.js';
import { startHub, type RunningHub } from '../support/hub-app.js';
import { createKey, registerServer } from '../support/hub-fixtures.js';
import { connectStreamable } from '../support/mcp-clients.js';
import { everythingStdio, memoryStdio } from '../support/upstreams.js';

const ADMIN = { email: 'admin@example.com', password: 'admin-password-123' };

interface GroupTool {
  name: string;
  toolName: string;
  serverSlug: string;
  exposed: boolean;
}

/** What the dashboard builds the tool filter and the member order from: Group.tools and reorderGroupServers. */
describe('group tools as agents see them, and member order', () => {
  let hub: RunningHub;
  let admin: GraphQLClient;
  let secret: string;
  let group: { id: string; slug: string };
  const servers: Record<'everything' | 'memory', string> = { everything: '', memory: '' };

  const tools = async () =>
    (await admin.data<{ group: { tools: GroupTool[] } }>('query($s: String!){ group(slug: $s){ tools { name toolName serverSlug exposed } } }', { s: group.slug }))
      .group.tools;
  const order = async () =>
    (await admin.data<{ group: { servers: { slug: string }[] } }>('query($s: String!){ group(slug: $s){ servers { slug } } }', { s: group.slug })).group.servers.map(
      (s) => s.slug,
    );
  const reorder = (serverIds: string[]) =>
    admin.request('mutation($g: ID!, $s: [ID!]!){ reorderGroupServers(groupId: $g, serverIds: $s){ servers { slug } } }', { g: group.id, s: serverIds });

  beforeAll(async () => {
    hub = await startHub(databaseTargets[0]);
    admin = new GraphQLClient(hub.url);
    await admin.login(ADMIN.email, ADMIN.password);
    ({ secret } = await createKey(admin));
    servers.everything = (await registerServer(admin, { name: 'Everything', slug: 'everything', transport: 'STDIO', ...everythingStdio() })).id;
    servers.memory = (await registerServer(admin, { name: 'Memory', slug: 'memory', transport: 'STDIO', ...memoryStdio() })).id;
    ({ createGroup: group } = await admin.data<{ createGroup: { id: string; slug: string } }>(
      'mutation($i: CreateGroupInput!){ createGroup(input: $i){ id slug } }',
      { i: { name: 'Tools', slug: 'tools', toolNaming: 'PREFIX_ALWAYS' } },
    ));
    for (const id of [servers.everything, servers.memory]) {
      await admin.data('mutation($g: ID!, $s: ID!){ addServerToGroup(groupId: $g, serverId: $s){ id } }', { g: group.id, s: id });
    }
  }, 120_000);

  afterAll(async () => {
    await hub?.close();
  });

  it('should list no tools for members never tested, then every discovered tool under the gateway\'s names', async () => {
    expect(await tools()).toEqual([]);
    for (const id of [servers.everything, servers.memory]) {
      expect((await admin.data<{ testServer: { ok: boolean } }>('mutation($id: ID!){ testServer(id: $id){ ok } }', { id })).testServer.ok).toBe(true);
    }
    const listed = await tools();
    expect(listed).toEqual(expect.arrayContaining([{ name: 'everything__echo', toolName: 'echo', serverSlug: 'everything', exposed: true }]));
    expect(listed.some((t) => t.serverSlug === 'memory')).toBe(true);
    // Member order: everything's tools first.
    expect(listed[0].serverSlug).toBe('everything');

    const agent = await connectStreamable(hub.url, group.slug, secret);
    try {
      expect((await agent.listTools()).tools.map((t) => t.name).sort()).toEqual(listed.map((t) => t.name).sort());
    } finally {
      await agent.close();
    }
  });

  it('should mark what the tool filter hides, exactly as the gateway lists it', async () => {
    const memoryTool = (await tools()).find((t) => t.serverSlug === 'memory')!.name;
    await admin.data('mutation($id: ID!, $i: UpdateGroupInput!){ updateGroup(id: $id, input: $i){ id } }', {
      id: group.id,
      i: { toolFilterMode: 'DENY', toolFilter: ['everything__echo', memoryTool] },
    });
    const listed = await tools();
    expect(listed.filter((t) => !t.exposed).map((t) => t.name).sort()).toEqual(['everything__echo', memoryTool].sort());
    const agent = await connectStreamable(hub.url, group.slug, secret);
    try {
      expect((await agent.listTools()).tools.map((t) => t.name).sort()).toEqual(listed.filter((t) => t.exposed).map((t) => t.name).sort());
    } finally {
      await agent.close();
    }
  });

  it('should reorder the members, record the revision, and refuse a list that is not the members once each', async () => {
    expect(await order()).toEqual(['everything', 'memory']);
    const res = await reorder([servers.memory, servers.everything]);
    expect(res.errors).toBeUndefined();
    expect(await order()).toEqual(['memory', 'everything']);
    expect((await tools())[0].serverSlug).toBe('memory');
    const { groupRevisions } = await admin.data<{ groupRevisions: { reason: string; snapshot: { serverIds: string[] } }[] }>(
      'query($g: ID!){ groupRevisions(groupId: $g, first: 1){ reason snapshot { serverIds } } }',
      { g: group.id },
    );
    expect(groupRevisions[0]).toEqual({ reason: 'reorderGroupServers', snapshot: { serverIds: [servers.memory, servers.everything] } });

    for (const wrong of [[servers.memory], [servers.memory, servers.memory], [servers.memory, servers.everything, '00000000-0000-4000-8000-000000000000']]) {
      const refused = await reorder(wrong);
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'serverIds' });
    }
    expect(await order()).toEqual(['memory', 'everything']);
  });
});

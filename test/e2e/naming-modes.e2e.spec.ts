import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { databaseTargets } from '../support/database-targets.js';
import { GraphQLClient } from '../support/graphql-client.js';
import { startHub, type RunningHub } from '../support/hub-app.js';
import { createGroup, createKey, registerServer } from '../support/hub-fixtures.js';
import { connectStreamable } from '../support/mcp-clients.js';
import { everythingStdio, memoryStdio } from '../support/upstreams.js';

type Mode = 'PREFIX_ALWAYS' | 'PREFIX_WHEN_NEEDED' | 'NONE';
interface Collision {
  kind: string;
  name: string;
  resolution: string;
  servers: { serverSlug: string; name: string; serves: boolean }[];
}

/** Which of the two server-everything processes answered: each runs with its own WHO variable (get-env prints it). */
const who = (result: unknown) => JSON.parse((result as { content: { text: string }[] }).content[0].text).WHO as string;

/**
 * Two real servers that share every tool, prompt and resource name (two server-everything processes, `left` then
 * `right`) plus one that shares none (`memory`), in one group, through the hub in each naming mode.
 */
describe('naming modes through the hub (two servers sharing names)', () => {
  let hub: RunningHub;
  let admin: GraphQLClient;
  let secret: string;
  const ids: Record<'left' | 'right' | 'memory', string> = { left: '', right: '', memory: '' };
  let group: { id: string; slug: string };
  const clients: Client[] = [];

  const setGroup = (input: Record<string, unknown>) =>
    admin.data('mutation($id: ID!, $i: UpdateGroupInput!){ updateGroup(id: $id, input: $i){ id } }', { id: group.id, i: input });
  const agent = async () => {
    const client = await connectStreamable(hub.url, group.slug, secret);
    clients.push(client);
    return client;
  };
  const collisions = async () =>
    (
      await admin.data<{ group: { toolNaming: Mode; namingCollisions: Collision[] } }>(
        'query($s: String!){ group(slug: $s){ toolNaming namingCollisions { kind name resolution servers { serverSlug name serves } } } }',
        { s: group.slug },
      )
    ).group;

  beforeAll(async () => {
    hub = await startHub(databaseTargets[0]);
    admin = new GraphQLClient(hub.url);
    await admin.login('admin@example.com', 'admin-password-123');
    ({ secret } = await createKey(admin));
    for (const side of ['left', 'right'] as const) {
      ids[side] = (await registerServer(admin, { name: side, slug: side, transport: 'STDIO', ...everythingStdio(), env: [{ name: 'WHO', value: side }] })).id;
    }
    ids.memory = (await registerServer(admin, { name: 'Memory', slug: 'memory', transport: 'STDIO', ...memoryStdio() })).id;
    // Discovery feeds Group.tools and Group.namingCollisions.
    for (const id of Object.values(ids)) await admin.data('mutation($id: ID!){ testServer(id: $id){ ok } }', { id });
    group = await createGroup(admin, 'shared', [ids.left, ids.right, ids.memory], 'PREFIX_WHEN_NEEDED');
  }, 120_000);

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await hub?.close();
  });

  it('should create groups PREFIX_WHEN_NEEDED by default', async () => {
    const { createGroup: created } = await admin.data<{ createGroup: { toolNaming: Mode } }>('mutation{ createGroup(input: { name: "Default naming" }){ toolNaming } }');
    expect(created.toolNaming).toBe('PREFIX_WHEN_NEEDED');
  });

  it('PREFIX_WHEN_NEEDED: should prefix only the shared names, route each to its server and report them', async () => {
    const client = await agent();
    expect(client.getInstructions()).toContain('except where two servers share a name');
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['left__get-env', 'right__get-env', 'left__echo', 'right__echo', 'read_graph']));
    expect(names).not.toContain('get-env');
    expect(names).not.toContain('memory__read_graph');
    expect(who(await client.callTool({ name: 'left__get-env', arguments: {} }))).toBe('left');
    expect(who(await client.callTool({ name: 'right__get-env', arguments: {} }))).toBe('right');
    expect(await client.callTool({ name: 'read_graph', arguments: {} })).toMatchObject({ structuredContent: { entities: expect.any(Array) } });
    const prompts = (await client.listPrompts()).prompts.map((p) => p.name);
    expect(prompts).toEqual(expect.arrayContaining(['left__simple-prompt', 'right__simple-prompt']));
    expect((await client.getPrompt({ name: 'right__simple-prompt' })).messages.length).toBeGreaterThan(0);

    const { toolNaming, namingCollisions } = await collisions();
    expect(toolNaming).toBe('PREFIX_WHEN_NEEDED');
    expect(namingCollisions).toContainEqual({
      kind: 'TOOL',
      name: 'get-env',
      resolution: 'PREFIXED',
      servers: [
        { serverSlug: 'left', name: 'left__get-env', serves: true },
        { serverSlug: 'right', name: 'right__get-env', serves: true },
      ],
    });
    expect(namingCollisions).toContainEqual(expect.objectContaining({ kind: 'PROMPT', name: 'simple-prompt', resolution: 'PREFIXED' }));
    const resource = namingCollisions.find((c) => c.kind === 'RESOURCE');
    expect(resource).toMatchObject({ resolution: 'FIRST_SERVES', servers: [{ serverSlug: 'left', serves: true }, { serverSlug: 'right', serves: false }] });
    expect(namingCollisions.some((c) => c.name === 'read_graph')).toBe(false);
  });

  it('PREFIX_ALWAYS: should prefix every name, and the audit entry says the mode changed', async () => {
    await setGroup({ toolNaming: 'PREFIX_ALWAYS' });
    const { auditLog } = await admin.data<{ auditLog: { nodes: { changes: { entity: string; fields: { name: string; oldValue: string; newValue: string }[] }[] }[] } }>(
      'query($f: AuditLogFilter){ auditLog(filter: $f, first: 1){ nodes { changes { entity fields { name oldValue newValue } } } } }',
      { f: { action: 'updateGroup', targetId: group.id } },
    );
    const fields = auditLog.nodes[0].changes.find((c) => c.entity === 'Group')!.fields;
    expect(fields.find((f) => f.name === 'toolNaming')).toMatchObject({ oldValue: expect.stringContaining('PREFIX_WHEN_NEEDED'), newValue: expect.stringContaining('PREFIX_ALWAYS') });
    const client = await agent();
    expect(client.getInstructions()).toContain('prefixed with their server (<server>__<name>)');
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['left__get-env', 'right__get-env', 'memory__read_graph']));
    expect(names.every((n) => /^(left|right|memory)__/.test(n))).toBe(true);
    expect(who(await client.callTool({ name: 'right__get-env', arguments: {} }))).toBe('right');
  });

  it('NONE: should never rename, serve a shared name from the first server and report the collision', async () => {
    await setGroup({ toolNaming: 'NONE' });
    const client = await agent();
    expect(client.getInstructions()).toContain("Tool and prompt names are the servers' own.");
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names.filter((n) => n === 'get-env')).toHaveLength(1);
    expect(names).toContain('read_graph');
    expect(names.some((n) => n.includes('__'))).toBe(false);
    expect(who(await client.callTool({ name: 'get-env', arguments: {} }))).toBe('left');
    await expect(client.callTool({ name: 'right__get-env', arguments: {} })).rejects.toThrow(/Unknown tool/);

    const { namingCollisions } = await collisions();
    expect(namingCollisions).toContainEqual({
      kind: 'TOOL',
      name: 'get-env',
      resolution: 'FIRST_SERVES',
      servers: [
        { serverSlug: 'left', name: 'get-env', serves: true },
        { serverSlug: 'right', name: 'get-env', serves: false },
      ],
    });
  });

  it('NONE: should let the tool filter pick the server of a shared name by its prefixed form', async () => {
    await setGroup({ toolFilterMode: 'DENY', toolFilter: ['left__get-env'] });
    const client = await agent();
    expect(who(await client.callTool({ name: 'get-env', arguments: {} }))).toBe('right');
    const get = (await collisions()).namingCollisions.find((c) => c.kind === 'TOOL' && c.name === 'get-env');
    expect(get?.servers.map((s) => s.serves)).toEqual([false, true]);
    await setGroup({ toolFilterMode: 'NONE', toolFilter: [] });
  });

  it('should keep a routing rule written for prefixed names matching after the mode changes', async () => {
    // Written while names were prefixed: calls to left's get-env go to right instead.
    await setGroup({ toolNaming: 'PREFIX_ALWAYS' });
    await admin.data('mutation($i: CreateRoutingRuleInput!){ createRoutingRule(input: $i){ id } }', {
      i: { groupId: group.id, name: 'left to right', priority: 1, conditions: { tool: { glob: 'left__get-env' } }, action: { type: 'ROUTE', serverId: ids.right } },
    });
    expect(who(await (await agent()).callTool({ name: 'left__get-env', arguments: {} }))).toBe('right');
    await setGroup({ toolNaming: 'NONE' });
    // The agent now calls it `get-env`; the rule still matches it by its prefixed name.
    expect(who(await (await agent()).callTool({ name: 'get-env', arguments: {} }))).toBe('right');
  });

  it('should leave a disabled member out of the naming, in the gateway and in Group.tools alike', async () => {
    await setGroup({ toolNaming: 'PREFIX_WHEN_NEEDED' });
    await admin.data('mutation($id: ID!){ updateServer(id: $id, input: { enabled: false }){ id } }', { id: ids.right });
    try {
      const names = (await (await agent()).listTools()).tools.map((t) => t.name);
      expect(names).toContain('get-env');
      const { group: listed } = await admin.data<{ group: { tools: { name: string; serverSlug: string }[]; namingCollisions: Collision[] } }>(
        'query($s: String!){ group(slug: $s){ tools { name serverSlug } namingCollisions { kind name } } }',
        { s: group.slug },
      );
      expect(listed.tools.map((t) => t.name).sort()).toEqual([...names].sort());
      expect(listed.namingCollisions.filter((c) => c.kind === 'TOOL')).toEqual([]);
    } finally {
      await admin.data('mutation($id: ID!){ updateServer(id: $id, input: { enabled: true }){ id } }', { id: ids.right });
    }
  });
});

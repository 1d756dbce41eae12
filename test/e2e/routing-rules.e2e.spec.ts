import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { ConfigChangeBus, type ConfigChange } from '#core';
import { RoutingRulesService } from '#routing-rules';
import { databaseTargets } from '../support/database-targets.js';
import { GraphQLClient, errorCode, type GraphQLResponse } from '../support/graphql-client.js';
import { startHub, type RunningHub } from '../support/hub-app.js';
import { createGroup, createKey, registerServer } from '../support/hub-fixtures.js';

const ADMIN = { email: 'admin@example.com', password: 'admin-password-123' };
const RULE_FIELDS = `id groupId name priority enabled createdAt updatedAt
  conditions { tool { glob regex } arguments { path op value pattern min max } keys { keyIds tags } }
  action { type serverId replicaId timeoutMs message serverIds }`;
const EXPLAIN_FIELDS = `matched rule { id name priority } defaultServerSlug description
  action { type serverId serverSlug replicaId message timeoutMs fallbackServerIds }`;
const CREATE = `mutation($i: CreateRoutingRuleInput!){ createRoutingRule(input: $i){ ${RULE_FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $i: UpdateRoutingRuleInput!){ updateRoutingRule(id: $id, input: $i){ ${RULE_FIELDS} } }`;
const REMOVE = 'mutation($id: ID!){ removeRoutingRule(id: $id) }';
const LIST = `query($g: ID!){ routingRules(groupId: $g){ ${RULE_FIELDS} } }`;
const EXPLAIN = `query($g: ID!, $t: String!, $a: JSON, $k: ID){ explainRoute(groupId: $g, toolName: $t, arguments: $a, keyId: $k){ ${EXPLAIN_FIELDS} } }`;
// Never dialled: rules are configuration, nothing here calls an upstream.
const UNREACHABLE = 'http://127.0.0.1:9/mcp';
const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';

interface RuleView {
  id: string;
  groupId: string;
  name: string;
  priority: number;
  enabled: boolean;
  conditions: {
    tool: { glob: string | null; regex: string | null } | null;
    arguments: { path: string; op: string; value: unknown; pattern: string | null; min: number | null; max: number | null }[];
    keys: { keyIds: string[]; tags: string[] } | null;
  };
  action: { type: string; serverId: string | null; replicaId: string | null; timeoutMs: number | null; message: string | null; serverIds: string[] | null };
}
interface Explanation {
  matched: boolean;
  rule: { id: string; name: string; priority: number } | null;
  action: {
    type: string;
    serverId: string | null;
    serverSlug: string | null;
    replicaId: string | null;
    message: string | null;
    timeoutMs: number | null;
    fallbackServerIds: string[] | null;
  } | null;
  defaultServerSlug: string | null;
  description: string;
}

describe.each(databaseTargets.map((t) => [t.name, t] as const))('routing rules API on %s', (_name, target) => {
  let hub: RunningHub;
  let admin: GraphQLClient;
  let member: GraphQLClient;
  let db: DataSource;
  const changes: ConfigChange[] = [];
  const ids = { everything: '', everything2: '', outsider: '', memberServer: '', team: '', other: '', memberGroup: '' };

  const count = async () => Number((await db.query('SELECT count(*)::int AS n FROM routing_rules'))[0].n);
  const create = (input: Record<string, unknown>, client = admin) => client.request<{ createRoutingRule: RuleView }>(CREATE, { i: input });
  const createOk = async (input: Record<string, unknown>, client = admin) => (await client.data<{ createRoutingRule: RuleView }>(CREATE, { i: input })).createRoutingRule;
  const list = async (groupId: string, client = admin) => (await client.data<{ routingRules: RuleView[] }>(LIST, { g: groupId })).routingRules;
  const explain = async (variables: { g: string; t: string; a?: unknown; k?: string }, client = admin) =>
    (await client.data<{ explainRoute: Explanation }>(EXPLAIN, variables)).explainRoute;
  const expectBadInput = (res: GraphQLResponse<unknown>, field: string) => {
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].message).toContain(`${field}: `);
    expect(res.errors?.[0].extensions?.field).toBe(field);
  };

  beforeAll(async () => {
    hub = await startHub(target);
    db = hub.app.get(DataSource);
    // Configuration changes only: health checks also publish (server-health), on their own schedule.
    hub.app.get(ConfigChangeBus).subscribe((change) => change.kind !== 'server-health' && changes.push(change));
    admin = new GraphQLClient(hub.url);
    await admin.login(ADMIN.email, ADMIN.password);
    await admin.data('mutation{ createUser(input:{email:"member@example.com", password:"member-password-1"}){ id } }');
    member = new GraphQLClient(hub.url);
    await member.login('member@example.com', 'member-password-1');

    const http = (slug: string) => ({ name: slug, slug, transport: 'STREAMABLE_HTTP', url: UNREACHABLE });
    ids.everything = (await registerServer(admin, http('everything'))).id;
    ids.everything2 = (await registerServer(admin, http('everything-2'))).id;
    ids.outsider = (await registerServer(admin, http('outsider'))).id;
    ids.memberServer = (await registerServer(member, http('member-server'))).id;
    ids.team = (await createGroup(admin, 'team', [ids.everything, ids.everything2])).id;
    ids.other = (await createGroup(admin, 'other', [ids.outsider])).id;
    ids.memberGroup = (await createGroup(member, 'member-group', [ids.memberServer])).id;
  });
  afterAll(() => hub?.close());

  it('should create rules, list them by priority, update and remove them, announcing each change', async () => {
    changes.length = 0;
    const late = await createOk({
      groupId: ids.team,
      name: 'slow searches',
      priority: 30,
      conditions: { tool: { glob: 'everything__search*' } },
      action: { type: 'TIMEOUT', timeoutMs: 120_000 },
    });
    expect(late).toMatchObject({
      groupId: ids.team,
      name: 'slow searches',
      priority: 30,
      enabled: true,
      conditions: { tool: { glob: 'everything__search*', regex: null }, arguments: [], keys: null },
      action: { type: 'TIMEOUT', timeoutMs: 120_000, serverId: null, replicaId: null, message: null, serverIds: null },
    });
    const early = await createOk({
      groupId: ids.team,
      name: 'big pages elsewhere',
      priority: 10,
      enabled: false,
      conditions: {
        tool: { regex: '^everything__(list|page)' },
        arguments: [
          { path: '$.query.limit', op: 'RANGE', min: 100 },
          { path: 'options', op: 'EQUALS', value: { mode: 'full', depth: [1, 2] } },
        ],
      },
      action: { type: 'ROUTE', serverId: ids.everything2, replicaId: ids.everything2, timeoutMs: 5000 },
    });
    expect(early.enabled).toBe(false);
    expect(early.conditions.arguments).toEqual([
      { path: '$.query.limit', op: 'RANGE', value: null, pattern: null, min: 100, max: null },
      { path: 'options', op: 'EQUALS', value: { mode: 'full', depth: [1, 2] }, pattern: null, min: null, max: null },
    ]);
    expect(early.action).toEqual({
      type: 'ROUTE',
      serverId: ids.everything2,
      replicaId: ids.everything2,
      timeoutMs: 5000,
      message: null,
      serverIds: null,
    });
    const middle = await createOk({
      groupId: ids.team,
      name: 'fallback',
      priority: 20,
      action: { type: 'FALLBACK', serverIds: [ids.everything, ids.everything2] },
    });
    expect(middle.conditions).toEqual({ tool: null, arguments: [], keys: null });

    expect((await list(ids.team)).map((r) => r.name)).toEqual(['big pages elsewhere', 'fallback', 'slow searches']);
    const [row] = await db.query('SELECT conditions, action FROM routing_rules WHERE id = $1', [early.id]);
    expect(row.action).toEqual({ type: 'ROUTE', serverId: ids.everything2, replicaId: ids.everything2, timeoutMs: 5000 });
    expect(row.conditions.arguments[0]).toEqual({ path: '$.query.limit', op: 'RANGE', min: 100 });

    const { updateRoutingRule } = await admin.data<{ updateRoutingRule: RuleView }>(UPDATE, {
      id: middle.id,
      i: { name: 'deny writes', priority: 5, action: { type: 'DENY', message: 'Writes are paused for maintenance' } },
    });
    expect(updateRoutingRule).toMatchObject({ id: middle.id, name: 'deny writes', priority: 5, enabled: true });
    expect(updateRoutingRule.action).toMatchObject({ type: 'DENY', message: 'Writes are paused for maintenance', serverIds: null });
    const enabled = await admin.data<{ updateRoutingRule: RuleView }>(UPDATE, { id: early.id, i: { enabled: true } });
    expect(enabled.updateRoutingRule.conditions.arguments).toHaveLength(2);
    expect((await list(ids.team)).map((r) => [r.priority, r.name, r.enabled])).toEqual([
      [5, 'deny writes', true],
      [10, 'big pages elsewhere', true],
      [30, 'slow searches', true],
    ]);

    expect((await admin.data<{ removeRoutingRule: boolean }>(REMOVE, { id: late.id })).removeRoutingRule).toBe(true);
    expect(errorCode(await admin.request(REMOVE, { id: late.id }))).toBe('NOT_FOUND');
    expect((await list(ids.team)).map((r) => r.id)).toEqual([middle.id, early.id]);
    expect(changes.filter((c) => c.kind === 'routing-rule')).toEqual(Array.from({ length: 6 }, () => ({ kind: 'routing-rule', id: ids.team })));
  });

  it('should reject invalid rules naming the field, and save nothing', async () => {
    const before = await count();
    const deny = { type: 'DENY', message: 'no' };
    const cases: [Record<string, unknown>, Record<string, unknown>, string][] = [
      [{ arguments: [{ path: 'q', op: 'REGEX', pattern: '([a-z]' }] }, deny, 'input.conditions.arguments.0.pattern'],
      [{ arguments: [{ path: 'q', op: 'EQUALS', value: 1 }, { path: 'q', op: 'REGEX', pattern: String.raw`(a)\1` }] }, deny, 'input.conditions.arguments.1.pattern'],
      [{ tool: { regex: 'x'.repeat(501) } }, deny, 'input.conditions.tool.regex'],
      [{ tool: { glob: 'everything.*' } }, deny, 'input.conditions.tool.glob'],
      [{ tool: { glob: '*', regex: '.*' } }, deny, 'input.conditions.tool'],
      [{ arguments: [{ path: 'items[x].name', op: 'EQUALS', value: 1 }] }, deny, 'input.conditions.arguments.0.path'],
      [{ arguments: [{ path: 'n', op: 'RANGE' }] }, deny, 'input.conditions.arguments.0.min'],
      [{ arguments: [{ path: 'n', op: 'RANGE', min: 10, max: 1 }] }, deny, 'input.conditions.arguments.0.min'],
      [{ arguments: [{ path: 'n', op: 'EQUALS' }] }, deny, 'input.conditions.arguments.0.value'],
      [{ keys: { tags: ['Not A Tag'] } }, deny, 'input.conditions.keys.tags.0'],
      [{}, { type: 'DENY' }, 'input.action.message'],
      [{}, { type: 'ROUTE', serverId: NO_SUCH_ID }, 'input.action.serverId'],
      [{}, { type: 'ROUTE', serverId: ids.outsider }, 'input.action.serverId'],
      [{}, { type: 'ROUTE', serverId: ids.everything, replicaId: 'replica-1' }, 'input.action.replicaId'],
      [{}, { type: 'FALLBACK', serverIds: [] }, 'input.action.serverIds'],
      [{}, { type: 'FALLBACK', serverIds: [ids.everything, ids.outsider] }, 'input.action.serverIds.1'],
      [{}, { type: 'TIMEOUT', timeoutMs: 50 }, 'input.action.timeoutMs'],
      [{}, { type: 'TIMEOUT', timeoutMs: 1000, message: 'why' }, 'input.action.message'],
    ];
    for (const [conditions, action, field] of cases) {
      expectBadInput(await create({ groupId: ids.team, name: 'bad', priority: 900, conditions, action }), field);
    }
    expectBadInput(await create({ groupId: ids.team, name: 'bad', priority: -1, action: deny }), 'input.priority');
    expectBadInput(await create({ groupId: 'team', name: 'bad', priority: 900, action: deny }), 'input.groupId');
    expect(errorCode(await create({ groupId: NO_SUCH_ID, name: 'bad', priority: 900, action: deny }))).toBe('NOT_FOUND');
    expect(await count()).toBe(before);

    const [rule] = await list(ids.team);
    const [stored] = await db.query('SELECT name, priority, conditions, action FROM routing_rules WHERE id = $1', [rule.id]);
    expectBadInput(
      await admin.request(UPDATE, { id: rule.id, i: { name: 'renamed', action: { type: 'ROUTE', serverId: ids.outsider } } }),
      'input.action.serverId',
    );
    expectBadInput(
      await admin.request(UPDATE, { id: rule.id, i: { conditions: { arguments: [{ path: '$.', op: 'EQUALS', value: 1 }] } } }),
      'input.conditions.arguments.0.path',
    );
    expect(await db.query('SELECT name, priority, conditions, action FROM routing_rules WHERE id = $1', [rule.id])).toEqual([stored]);
  });

  it('should refuse a priority already taken in the group with a CONFLICT naming input.priority', async () => {
    const before = await count();
    const taken = await create({ groupId: ids.team, name: 'clash', priority: 5, action: { type: 'DENY', message: 'x' } });
    expect(errorCode(taken)).toBe('CONFLICT');
    expect(taken.errors?.[0].message).toBe(
      "input.priority: group team already has a rule with priority 5 ('deny writes'); priorities are unique within a group",
    );
    expect(taken.errors?.[0].extensions?.field).toBe('input.priority');
    expect(await count()).toBe(before);

    const moved = await createOk({ groupId: ids.team, name: 'movable', priority: 50, action: { type: 'DENY', message: 'x' } });
    const clash = await admin.request(UPDATE, { id: moved.id, i: { priority: 10 } });
    expect(errorCode(clash)).toBe('CONFLICT');
    expect(clash.errors?.[0].message).toContain("priority 10 ('big pages elsewhere')");
    expect((await list(ids.team)).find((r) => r.id === moved.id)?.priority).toBe(50);
    // Another group may use the same priority.
    await createOk({ groupId: ids.other, name: 'same priority elsewhere', priority: 5, action: { type: 'DENY', message: 'x' } });
    await admin.data(REMOVE, { id: moved.id });
  });

  it("should keep members to their own groups' rules", async () => {
    const [adminRule] = await list(ids.team);
    const before = await count();
    expect(errorCode(await create({ groupId: ids.team, name: 'mine', priority: 1, action: { type: 'DENY', message: 'x' } }, member))).toBe('NOT_FOUND');
    expect(errorCode(await member.request(LIST, { g: ids.team }))).toBe('NOT_FOUND');
    expect(errorCode(await member.request(UPDATE, { id: adminRule.id, i: { name: 'mine now' } }))).toBe('NOT_FOUND');
    expect(errorCode(await member.request(REMOVE, { id: adminRule.id }))).toBe('NOT_FOUND');
    expect(errorCode(await member.request(EXPLAIN, { g: ids.team, t: 'everything__echo' }))).toBe('NOT_FOUND');
    // A server the member cannot see is answered like any server outside the group.
    expectBadInput(
      await create({ groupId: ids.memberGroup, name: 'steal', priority: 1, action: { type: 'ROUTE', serverId: ids.everything } }, member),
      'input.action.serverId',
    );
    expect(await count()).toBe(before);

    const own = await createOk(
      { groupId: ids.memberGroup, name: 'pin member server', priority: 1, action: { type: 'ROUTE', serverId: ids.memberServer } },
      member,
    );
    expect((await list(ids.memberGroup, member)).map((r) => r.id)).toEqual([own.id]);
    // Admins manage every group's rules.
    expect((await list(ids.memberGroup)).map((r) => r.id)).toEqual([own.id]);
    const renamed = await admin.data<{ updateRoutingRule: RuleView }>(UPDATE, { id: own.id, i: { name: 'renamed by admin' } });
    expect(renamed.updateRoutingRule.name).toBe('renamed by admin');
  });

  it('should explain which rule a call matches and where it goes', async () => {
    const route = (await list(ids.team)).find((r) => r.name === 'big pages elsewhere')!;
    const dangerous = await createOk({
      groupId: ids.team,
      name: 'no deletes',
      priority: 1,
      conditions: { tool: { glob: 'everything*__delete_*' } },
      action: { type: 'DENY', message: 'Deleting is not allowed from agents' },
    });

    const denied = await explain({ g: ids.team, t: 'everything-2__delete_all', a: { force: true } });
    expect(denied).toEqual({
      matched: true,
      rule: { id: dangerous.id, name: 'no deletes', priority: 1 },
      action: {
        type: 'DENY',
        serverId: null,
        serverSlug: null,
        replicaId: null,
        message: 'Deleting is not allowed from agents',
        timeoutMs: null,
        fallbackServerIds: null,
      },
      defaultServerSlug: 'everything-2',
      description: "Rule 'no deletes' (priority 1) denies the call: Deleting is not allowed from agents",
    });

    // "deny writes" (priority 5) matches every call; disable it to reach the argument rule.
    const writes = (await list(ids.team)).find((r) => r.name === 'deny writes')!;
    expect((await explain({ g: ids.team, t: 'everything__echo' })).rule?.id).toBe(writes.id);
    await admin.data(UPDATE, { id: writes.id, i: { enabled: false } });

    const routed = await explain({ g: ids.team, t: 'everything__list_items', a: { query: { limit: 500 }, options: { depth: [1, 2], mode: 'full' } } });
    expect(routed).toMatchObject({
      matched: true,
      rule: { id: route.id, name: 'big pages elsewhere', priority: 10 },
      action: { type: 'ROUTE', serverId: ids.everything2, serverSlug: 'everything-2', replicaId: ids.everything2, timeoutMs: 5000 },
      defaultServerSlug: 'everything',
    });
    expect(routed.description).toBe(
      `Rule 'big pages elsewhere' (priority 10) routes the call to server 'everything-2' (replica ${ids.everything2}) instead of 'everything', with a 5000 ms upstream timeout`,
    );

    for (const a of [{ query: { limit: 50 }, options: { depth: [1, 2], mode: 'full' } }, { query: { limit: 500 } }, undefined]) {
      const unmatched = await explain({ g: ids.team, t: 'everything__list_items', a });
      expect(unmatched).toEqual({
        matched: false,
        rule: null,
        action: null,
        defaultServerSlug: 'everything',
        description: "No rule matched: routed by namespace to server 'everything'",
      });
    }
    // Arguments as a GraphQL literal go through the JSON scalar too.
    const literal = await admin.data<{ explainRoute: Explanation }>(
      `query($g: ID!){ explainRoute(groupId: $g, toolName: "everything__page", arguments: { query: { limit: 100 }, options: { mode: "full", depth: [1, 2] } }){ ${EXPLAIN_FIELDS} } }`,
      { g: ids.team },
    );
    expect(literal.explainRoute.rule?.id).toBe(route.id);

    const unowned = await explain({ g: ids.team, t: 'nobody__echo' });
    expect(unowned).toMatchObject({ matched: false, defaultServerSlug: null });
    expect(unowned.description).toBe("No rule matched, and no server of the group offers a tool named 'nobody__echo' (as of their last discovery) or owns its <server>__ prefix");

    expectBadInput(await admin.request(EXPLAIN, { g: ids.team, t: 'everything__echo', a: [1, 2] }), 'arguments');
    expectBadInput(await admin.request(EXPLAIN, { g: ids.team, t: 'not a tool' }), 'toolName');
    expectBadInput(await admin.request(EXPLAIN, { g: ids.team, t: 'everything__echo', k: 'key' }), 'keyId');
    expect(errorCode(await admin.request(EXPLAIN, { g: ids.team, t: 'everything__echo', k: NO_SUCH_ID }))).toBe('NOT_FOUND');
  });

  it('should match the calling key by tag or id, with tags stored on API keys', async () => {
    const ciKey = await createKey(admin, { name: 'ci', tags: ['ci', 'batch', 'ci'] });
    const plainKey = await createKey(admin, { name: 'plain' });
    const { apiKeys } = await admin.data<{ apiKeys: { nodes: { id: string; tags: string[] }[] } }>('{ apiKeys { nodes { id tags } } }');
    expect(apiKeys.nodes.find((k) => k.id === ciKey.id)?.tags).toEqual(['ci', 'batch']);
    expect(apiKeys.nodes.find((k) => k.id === plainKey.id)?.tags).toEqual([]);
    expectBadInput(await admin.request('mutation{ createApiKey(input:{ name: "x", tags: ["ok", "Not OK"] }){ secret } }'), 'input.tags.1');

    const byTag = await createOk({
      groupId: ids.team,
      name: 'ci falls back',
      priority: 2,
      conditions: { keys: { tags: ['ci'] } },
      action: { type: 'FALLBACK', serverIds: [ids.everything2, ids.everything], timeoutMs: 2000 },
    });
    expect(byTag.conditions.keys).toEqual({ keyIds: [], tags: ['ci'] });

    const matched = await explain({ g: ids.team, t: 'everything__echo', k: ciKey.id });
    expect(matched).toMatchObject({
      matched: true,
      rule: { id: byTag.id, priority: 2 },
      action: { type: 'FALLBACK', serverId: ids.everything2, serverSlug: 'everything-2', fallbackServerIds: [ids.everything2, ids.everything], timeoutMs: 2000 },
    });
    expect(matched.description).toBe(
      "Rule 'ci falls back' (priority 2) tries server 'everything-2', then 'everything' in order, moving on only when one is unavailable, with a 2000 ms upstream timeout",
    );
    expect((await explain({ g: ids.team, t: 'everything__echo', k: plainKey.id })).matched).toBe(false);
    expect((await explain({ g: ids.team, t: 'everything__echo' })).matched).toBe(false);

    await admin.data(UPDATE, { id: byTag.id, i: { conditions: { keys: { keyIds: [plainKey.id] } } } });
    expect((await explain({ g: ids.team, t: 'everything__echo', k: plainKey.id })).rule?.id).toBe(byTag.id);
    expect((await explain({ g: ids.team, t: 'everything__echo', k: ciKey.id })).matched).toBe(false);

    // A member cannot use someone else's key to probe rules.
    expect(errorCode(await member.request(EXPLAIN, { g: ids.memberGroup, t: 'member-server__x', k: ciKey.id }))).toBe('NOT_FOUND');
  });

  it("should hand the gateway every group's compiled rules, and drop them with their group", async () => {
    const service = hub.app.get(RoutingRulesService);
    const compiled = await service.compiledForAll();
    expect([...compiled.keys()].sort()).toEqual([ids.team, ids.other, ids.memberGroup].sort());
    const decision = compiled.get(ids.team)!.evaluate({ toolName: 'everything__delete_x', arguments: {}, keyId: 'k', keyTags: [] });
    expect(decision).toEqual({
      rule: { id: expect.any(String), name: 'no deletes', priority: 1 },
      action: { type: 'DENY', message: 'Deleting is not allowed from agents' },
    });

    changes.length = 0;
    await admin.data('mutation($id: ID!){ removeGroup(id: $id) }', { id: ids.other });
    expect(await db.query('SELECT id FROM routing_rules WHERE group_id = $1', [ids.other])).toEqual([]);
    expect((await service.compiledForAll()).has(ids.other)).toBe(false);
    expect((await service.compiledFor(ids.other)).size).toBe(0);
    expect(changes).toContainEqual({ kind: 'group', id: ids.other });
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { databaseTargets } from '../support/database-targets.js';
import { GraphQLClient } from '../support/graphql-client.js';
import { createGroup, createKey, registerServer } from '../support/hub-fixtures.js';
import { startHub, type RunningHub } from '../support/hub-app.js';
import { connectStreamable } from '../support/mcp-clients.js';
import { everythingStdio, waitFor } from '../support/upstreams.js';

type ToolResult = { content: { type: string; text?: string }[]; isError?: boolean };
const text = (r: unknown) => (r as ToolResult).content.map((c) => c.text ?? '').join('');
const replicaOf = (r: unknown) => /"REPLICA":\s*"(\w+)"/.exec(text(r))?.[1];

describe('routing rules enforced on real MCP calls', () => {
  let hub: RunningHub;
  let admin: GraphQLClient;
  let plain: Client;
  let tagged: Client;
  const ids: Record<string, string> = {};
  const clients: Client[] = [];
  const stdio = (name: string) => ({ ...everythingStdio(), env: [{ name: 'REPLICA', value: name }] });
  const addRule = async (input: Record<string, unknown>) =>
    (await admin.data<{ createRoutingRule: { id: string } }>('mutation($i: CreateRoutingRuleInput!){ createRoutingRule(input: $i){ id } }', { i: { groupId: ids.group, ...input } })).createRoutingRule.id;

  beforeAll(async () => {
    hub = await startHub(databaseTargets[0]);
    admin = new GraphQLClient(hub.url);
    await admin.login('admin@example.com', 'admin-password-123');
    ids.alpha = (await registerServer(admin, { name: 'alpha', transport: 'STDIO', ...stdio('alpha') })).id;
    ids.beta = (await registerServer(admin, { name: 'beta', transport: 'STDIO', ...stdio('beta') })).id;
    ids.dead = (await registerServer(admin, { name: 'dead', transport: 'STREAMABLE_HTTP', url: 'http://127.0.0.1:9/mcp' })).id;
    ids.group = (await createGroup(admin, 'ruled', [ids.alpha, ids.beta, ids.dead])).id;
    await addRule({ name: 'no big sums', priority: 10, conditions: { tool: { glob: 'alpha__get-sum' }, arguments: [{ path: '$.a', op: 'RANGE', min: 1000 }] }, action: { type: 'DENY', message: 'numbers too large' } });
    await addRule({ name: 'beta users', priority: 20, conditions: { tool: { glob: 'alpha__get-env' }, keys: { tags: ['beta-users'] } }, action: { type: 'ROUTE', serverId: ids.beta } });
    await addRule({ name: 'echo fallback', priority: 30, conditions: { tool: { regex: '^alpha__echo$' } }, action: { type: 'FALLBACK', serverIds: [ids.dead, ids.beta] } });
    await addRule({ name: 'short ops', priority: 40, conditions: { tool: { glob: '*long-running*' } }, action: { type: 'TIMEOUT', timeoutMs: 500 } });
    plain = await connectStreamable(hub.url, 'ruled', (await createKey(admin)).secret);
    tagged = await connectStreamable(hub.url, 'ruled', (await createKey(admin, { tags: ['beta-users'] })).secret);
    clients.push(plain, tagged);
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await hub?.close();
  });

  it('should deny a call whose arguments match, and let others through', async () => {
    expect(text(await plain.callTool({ name: 'alpha__get-sum', arguments: { a: 5, b: 6 } }))).toContain('11');
    await expect(plain.callTool({ name: 'alpha__get-sum', arguments: { a: 5000, b: 1 } })).rejects.toThrow(/Denied by routing rule "no big sums": numbers too large/);
    const { explainRoute } = await admin.data<{ explainRoute: { matched: boolean; action: { type: string } } }>(
      'query($g: ID!){ explainRoute(groupId: $g, toolName: "alpha__get-sum", arguments: { a: 5000 }){ matched action { type } } }',
      { g: ids.group },
    );
    expect(explainRoute).toEqual({ matched: true, action: { type: 'DENY' } });
  });

  it('should route calls of keys with a tag to another server', async () => {
    expect(replicaOf(await plain.callTool({ name: 'alpha__get-env', arguments: {} }))).toBe('alpha');
    expect(replicaOf(await tagged.callTool({ name: 'alpha__get-env', arguments: {} }))).toBe('beta');
  });

  it('should walk a fallback chain past an unreachable server', async () => {
    expect(text(await plain.callTool({ name: 'alpha__echo', arguments: { message: 'via fallback' } }))).toContain('via fallback');
  });

  it('should apply a rule timeout', async () => {
    await expect(plain.callTool({ name: 'alpha__trigger-long-running-operation', arguments: { duration: 3, steps: 1 } })).rejects.toThrow(/within 500 ms/);
  });

  it('should restore the rules of a revision on rollback, live', async () => {
    const { groupRevisions } = await admin.data<{ groupRevisions: { revision: number }[] }>('query($g: ID!){ groupRevisions(groupId: $g, first: 1){ revision } }', { g: ids.group });
    const before = groupRevisions[0].revision;
    await addRule({ name: 'block echo', priority: 5, conditions: { tool: { glob: 'alpha__echo' } }, action: { type: 'DENY', message: 'echo is off' } });
    await waitFor(async () => /echo is off/.test(String(await plain.callTool({ name: 'alpha__echo', arguments: { message: 'x' } }).catch((e: Error) => e.message))), 5_000, 'the new rule');
    await admin.data('mutation($g: ID!, $r: Int!){ rollbackGroup(groupId: $g, revision: $r){ id } }', { g: ids.group, r: before });
    const { routingRules } = await admin.data<{ routingRules: { name: string }[] }>('query($g: ID!){ routingRules(groupId: $g){ name } }', { g: ids.group });
    expect(routingRules.map((r) => r.name)).toEqual(['no big sums', 'beta users', 'echo fallback', 'short ops']);
    await waitFor(async () => text(await plain.callTool({ name: 'alpha__echo', arguments: { message: 'back' } }).catch(() => ({ content: [] }))).includes('back'), 5_000, 'echo to work again');
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { databaseTargets } from '../support/database-targets.js';
import { GraphQLClient, errorCode } from '../support/graphql-client.js';
import { createGroup, registerServer } from '../support/hub-fixtures.js';
import { startHub, type RunningHub } from '../support/hub-app.js';

const target = databaseTargets[databaseTargets.length - 1];
// Never contacted: the specs only store these servers.
const URL_A = 'http://127.0.0.1:9/mcp';
const URL_B = 'http://127.0.0.1:10/mcp';

describe('foreign ids in API keys and routing rules', () => {
  let hub: RunningHub;
  let db: DataSource;
  let admin: GraphQLClient;
  let alice: GraphQLClient;
  let bob: GraphQLClient;
  const ids = {} as Record<'aliceGroup' | 'aliceServer' | 'aliceOther' | 'aliceReplica' | 'bobServer' | 'bobReplica' | 'bobGroup', string>;

  const count = async (table: string) => Number((await db.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n);
  const member = async (email: string) => {
    await admin.data('mutation($i: CreateUserInput!){ createUser(input: $i){ id } }', { i: { email, password: 'member-password-1' } });
    const client = new GraphQLClient(hub.url);
    await client.login(email, 'member-password-1');
    return client;
  };
  const addReplica = async (client: GraphQLClient, serverId: string, name: string, url: string) =>
    (
      await client.data<{ addServerReplica: { id: string } }>('mutation($s: ID!, $i: AddServerReplicaInput!){ addServerReplica(serverId: $s, input: $i){ id } }', {
        s: serverId,
        i: { name, transport: 'STREAMABLE_HTTP', url },
      })
    ).addServerReplica.id;
  const createRule = (client: GraphQLClient, action: Record<string, unknown>, priority = 10) =>
    client.request<{ createRoutingRule: { id: string } }>('mutation($i: CreateRoutingRuleInput!){ createRoutingRule(input: $i){ id action { serverId replicaId } } }', {
      i: { groupId: ids.aliceGroup, name: `rule-${priority}`, priority, action },
    });

  beforeAll(async () => {
    hub = await startHub(target);
    db = hub.app.get(DataSource);
    admin = new GraphQLClient(hub.url);
    await admin.login('admin@example.com', 'admin-password-123');
    alice = await member('alice@example.com');
    bob = await member('bob@example.com');
    ids.aliceServer = (await registerServer(alice, { name: 'alice-a', transport: 'STREAMABLE_HTTP', url: URL_A })).id;
    ids.aliceOther = (await registerServer(alice, { name: 'alice-b', transport: 'STREAMABLE_HTTP', url: URL_A })).id;
    ids.aliceReplica = await addReplica(alice, ids.aliceServer, 'second', URL_B);
    ids.aliceGroup = (await createGroup(alice, 'alice-tools', [ids.aliceServer])).id;
    ids.bobServer = (await registerServer(bob, { name: 'bob-a', transport: 'STREAMABLE_HTTP', url: URL_A })).id;
    ids.bobReplica = await addReplica(bob, ids.bobServer, 'bob-second', URL_B);
    ids.bobGroup = (await createGroup(bob, 'bob-tools', [ids.bobServer])).id;
  });
  afterAll(() => hub?.close());

  describe('createApiKey', () => {
    it("should refuse another member's group id as NOT_FOUND naming the field, and save nothing", async () => {
      const before = await count('api_keys');
      const res = await bob.request('mutation($i: CreateApiKeyInput!){ createApiKey(input: $i){ secret } }', {
        i: { name: 'sneaky', groupIds: [ids.bobGroup, ids.aliceGroup] },
      });
      expect(errorCode(res)).toBe('NOT_FOUND');
      expect(res.errors?.[0].message).toContain('input.groupIds');
      expect(res.errors?.[0].message).toContain(ids.aliceGroup);
      expect(res.data).toBeNull();
      expect(await count('api_keys')).toBe(before);
    });

    it('should refuse a group id that does not exist', async () => {
      const res = await bob.request('mutation($i: CreateApiKeyInput!){ createApiKey(input: $i){ secret } }', {
        i: { name: 'ghost', groupIds: ['00000000-0000-4000-8000-000000000000'] },
      });
      expect(errorCode(res)).toBe('NOT_FOUND');
    });

    it('should accept own groups, and an admin may name any group', async () => {
      expect((await bob.request('mutation($i: CreateApiKeyInput!){ createApiKey(input: $i){ apiKey { groupIds } } }', { i: { name: 'own', groupIds: [ids.bobGroup] } })).errors).toBeUndefined();
      const res = await admin.request<{ createApiKey: { apiKey: { groupIds: string[] } } }>('mutation($i: CreateApiKeyInput!){ createApiKey(input: $i){ apiKey { groupIds } } }', {
        i: { name: 'ops', groupIds: [ids.aliceGroup, ids.bobGroup] },
      });
      expect(res.data?.createApiKey.apiKey.groupIds.sort()).toEqual([ids.aliceGroup, ids.bobGroup].sort());
    });
  });

  describe('createRoutingRule / updateRoutingRule', () => {
    it("should refuse a ROUTE to a replica of another server (someone else's), and save nothing", async () => {
      const before = await count('routing_rules');
      const res = await createRule(alice, { type: 'ROUTE', serverId: ids.aliceServer, replicaId: ids.bobReplica });
      expect(errorCode(res)).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0].message).toMatch(/^input\.action\.replicaId: /);
      expect(await count('routing_rules')).toBe(before);
    });

    it('should refuse a ROUTE to a replica of one of her own servers that is not the target', async () => {
      const other = await addReplica(alice, ids.aliceOther, 'other-second', URL_B);
      const res = await createRule(alice, { type: 'ROUTE', serverId: ids.aliceServer, replicaId: other });
      expect(errorCode(res)).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0].extensions?.field).toBe('input.action.replicaId');
    });

    it('should refuse servers outside the group (her own or another member\'s) and foreign FALLBACK lists', async () => {
      const before = await count('routing_rules');
      for (const action of [
        { type: 'ROUTE', serverId: ids.bobServer },
        { type: 'ROUTE', serverId: ids.aliceOther },
        { type: 'FALLBACK', serverIds: [ids.aliceServer, ids.bobServer] },
      ]) {
        const res = await createRule(alice, action);
        expect(errorCode(res)).toBe('BAD_USER_INPUT');
        expect(res.errors?.[0].message).toMatch(/^input\.action\.(serverId|serverIds\.1): server .* is not in group alice-tools/);
      }
      expect(await count('routing_rules')).toBe(before);
    });

    it('should accept the primary or a replica of the target, and refuse a foreign replica on update, leaving the rule as it was', async () => {
      const primary = await createRule(alice, { type: 'ROUTE', serverId: ids.aliceServer, replicaId: ids.aliceServer }, 20);
      expect(primary.errors).toBeUndefined();
      const created = await createRule(alice, { type: 'ROUTE', serverId: ids.aliceServer, replicaId: ids.aliceReplica }, 30);
      expect(created.errors).toBeUndefined();
      const ruleId = created.data!.createRoutingRule.id;
      const res = await alice.request('mutation($id: ID!, $i: UpdateRoutingRuleInput!){ updateRoutingRule(id: $id, input: $i){ id } }', {
        id: ruleId,
        i: { action: { type: 'ROUTE', serverId: ids.aliceServer, replicaId: ids.bobReplica } },
      });
      expect(errorCode(res)).toBe('BAD_USER_INPUT');
      const [stored] = await db.query('SELECT action FROM routing_rules WHERE id = $1', [ruleId]);
      expect(stored.action).toMatchObject({ type: 'ROUTE', serverId: ids.aliceServer, replicaId: ids.aliceReplica });
    });
  });
});

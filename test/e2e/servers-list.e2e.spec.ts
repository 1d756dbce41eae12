import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner.js';
import { databaseTargets } from '../support/database-targets.js';
import { GraphQLClient, errorCode } from '../support/graphql-client.js';
import { DEAD_URL } from '../support/health-flips.js';
import { createPerson, createTeam, registerServer, share } from '../support/hub-fixtures.js';
import { startHub, type RunningHub } from '../support/hub-app.js';

/** Everything the dashboard's servers pages read about each server, nested lists included. */
const LIST = `query($first: Int, $after: String, $search: String) {
  serverPage(first: $first, after: $after, search: $search) {
    nodes {
      id name slug transport enabled tags env { name maskedValue } headers { name maskedValue }
      capabilities { tools { name } } runtime { name circuit }
      replicas { id name weight priority env { name } headers { name } }
      health { replicaId status checkedAt }
      shares { teamName level }
    }
    pageInfo { endCursor hasNextPage }
  }
}`;

interface Listed {
  id: string;
  name: string;
  replicas: { id: string }[];
  health: { replicaId: string; status: string }[];
  shares: { teamName: string }[];
}
interface Page {
  serverPage: { nodes: Listed[]; pageInfo: { endCursor: string | null; hasNextPage: boolean } };
}

describe('servers list: batched nested fields and cursor pages', () => {
  let hub: RunningHub;
  let admin: GraphQLClient;
  let team: { id: string };
  let registered = 0;
  const statements: string[] = [];
  const original = PostgresQueryRunner.prototype.query;

  /** Disabled servers (no health checks or connections run in the background), each with a replica, a share and checks. */
  const addServers = async (count: number) => {
    const db = hub.app.get(DataSource);
    for (let i = 0; i < count; i++) {
      const n = ++registered;
      const server = await registerServer(admin, { name: `listed-${String(n).padStart(3, '0')}`, transport: 'STREAMABLE_HTTP', url: DEAD_URL, enabled: false, tags: [n % 2 ? 'odd' : 'even'], headers: [{ name: 'Authorization', value: `Bearer token-${n}` }] });
      const { addServerReplica } = await admin.data<{ addServerReplica: { id: string } }>(
        'mutation($s: ID!){ addServerReplica(serverId: $s, input: { name: "backup", transport: STREAMABLE_HTTP, url: "http://127.0.0.1:9/backup" }){ id } }',
        { s: server.id },
      );
      await share(admin, 'Server', server.id, team.id, 'VIEWER');
      await db.query(`INSERT INTO server_health_checks (server_id, replica_id, status, latency_ms) VALUES ($1, $1, 'HEALTHY', 5), ($1, $2, 'DOWN', NULL)`, [server.id, addServerReplica.id]);
    }
  };

  /** SQL statements the hub runs while answering one request; the fewest of three tries (background jobs only add). */
  const statementsFor = async (client: GraphQLClient, query: string, variables: Record<string, unknown>) => {
    let fewest = Infinity;
    let data: unknown;
    for (let i = 0; i < 3; i++) {
      statements.length = 0;
      data = await client.data(query, variables);
      fewest = Math.min(fewest, statements.length);
    }
    return { count: fewest, data };
  };

  beforeAll(async () => {
    hub = await startHub(databaseTargets[0]);
    admin = new GraphQLClient(hub.url);
    await admin.login('admin@example.com', 'admin-password-123');
    team = await createTeam(admin, 'listers');
    PostgresQueryRunner.prototype.query = function (this: PostgresQueryRunner, ...args: Parameters<PostgresQueryRunner['query']>) {
      statements.push(args[0]);
      return original.apply(this, args);
    } as PostgresQueryRunner['query'];
  }, 120_000);

  afterAll(async () => {
    PostgresQueryRunner.prototype.query = original;
    await hub?.close();
  });

  it('should answer a list of N servers with their replicas, health and shares in a number of queries independent of N', async () => {
    await addServers(3);
    const few = await statementsFor(admin, LIST, { first: 100 });
    expect((few.data as Page).serverPage.nodes).toHaveLength(3);
    await addServers(27);
    const many = await statementsFor(admin, LIST, { first: 100 });
    const nodes = (many.data as Page).serverPage.nodes;
    expect(nodes).toHaveLength(30);
    // The nested lists belong to their own server (a batch mixing them up would show here).
    for (const server of nodes) {
      expect(server.replicas).toHaveLength(1);
      expect(server.health.map((h) => [h.replicaId, h.status]).sort()).toEqual([[server.id, 'HEALTHY'], [server.replicas[0].id, 'DOWN']].sort());
      expect(server.shares).toEqual([{ teamName: 'listers', level: 'VIEWER' }]);
    }
    expect(many.count).toBe(few.count);
    // The page, replicas, health and shares: one query each, plus what the sign-in check reads.
    expect(many.count).toBeLessThanOrEqual(8);
    // The plain list and the group view batch the same way.
    const plain = 'query { servers(first: 100) { id replicas { id } health { status } shares { teamId } } }';
    const listed = await statementsFor(admin, plain, {});
    expect(listed.count).toBeLessThanOrEqual(8);
  });

  it('should page with a cursor in registration order, without gaps or repeats, and refuse a cursor it did not make', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const page: Page = await admin.data<Page>(LIST, { first: 7, after });
      seen.push(...page.serverPage.nodes.map((n) => n.name));
      pages++;
      if (!page.serverPage.pageInfo.hasNextPage) break;
      after = page.serverPage.pageInfo.endCursor;
    }
    expect(pages).toBe(5);
    expect(seen).toEqual(Array.from({ length: 30 }, (_, i) => `listed-${String(i + 1).padStart(3, '0')}`));
    const bad = await admin.request(LIST, { first: 7, after: 'not-a-cursor' });
    expect(errorCode(bad)).toBe('BAD_USER_INPUT');
    expect(bad.errors?.[0]?.extensions?.field).toBe('after');
    expect(errorCode(await admin.request(LIST, { first: 101 }))).toBe('BAD_USER_INPUT');
  });

  it('should search names, slugs and tags, and list for a member only what the access policy lets them see', async () => {
    const byName = await admin.data<Page>(LIST, { search: 'LISTED-01' });
    expect(byName.serverPage.nodes.map((n) => n.name)).toEqual(Array.from({ length: 10 }, (_, i) => `listed-${String(i + 10).padStart(3, '0')}`));
    const byTag = await admin.data<Page>(LIST, { search: 'odd', first: 100 });
    expect(byTag.serverPage.nodes).toHaveLength(15);
    // "%" is a character to look for, not a wildcard.
    expect((await admin.data<Page>(LIST, { search: '%' })).serverPage.nodes).toEqual([]);

    const member = await createPerson(admin, hub.url, 'lister@example.com');
    const own = await registerServer(member, { name: 'members-own', transport: 'STREAMABLE_HTTP', url: DEAD_URL, enabled: false });
    expect((await member.data<Page>(LIST, { first: 100 })).serverPage.nodes.map((n) => n.id)).toEqual([own.id]);
    await admin.data('mutation($t: ID!, $u: ID!){ addTeamMember(teamId: $t, userId: $u){ id } }', { t: team.id, u: member.userId });
    const shared = await member.data<Page>(LIST, { first: 100 });
    expect(shared.serverPage.nodes).toHaveLength(31);
    expect(shared.serverPage.nodes.at(-1)!.id).toBe(own.id);
  });
});

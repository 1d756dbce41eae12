import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import type { GraphQLObjectType } from 'graphql';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { ACTORS, AUTHZ_MATRIX, type ActorName, type MatrixRow } from '../support/authz-matrix/matrix-table.js';
import { EMAILS, MatrixFixtures } from '../support/authz-matrix/matrix-fixtures.js';
import { GraphQLClient } from '../support/graphql-client.js';
import { addTeamMember, createPerson, createTeam } from '../support/hub-fixtures.js';
import { startHub, type RunningHub } from '../support/hub-app.js';
import { hubTargets } from '../support/hub-targets.js';
import { startEverythingHttp, type RunningUpstream } from '../support/upstreams.js';

/** How long a subscription may wait for its first event before the cell counts as "no event". */
const SUBSCRIPTION_DEADLINE_MS = 20_000;

/**
 * The authorization matrix: every operation of the schema (one row of AUTHZ_MATRIX each) × every kind of caller →
 * the outcome the access policy must give. On the first target only (PGlite): the policy does not depend on the
 * database, and one boot keeps the file fast.
 */
describe('authorization matrix', () => {
  let hub: RunningHub;
  let upstream: RunningUpstream;
  let kit: MatrixFixtures;
  const clients = {} as Record<ActorName, GraphQLClient>;

  beforeAll(async () => {
    upstream = await startEverythingHttp('streamableHttp');
    // GitHub sign-in on (never contacted): linkProvider needs an enabled provider.
    hub = await startHub(hubTargets[0].database, { ...hubTargets[0].env, GITHUB_CLIENT_ID: 'matrix-client', GITHUB_CLIENT_SECRET: 'matrix-client-secret' });
    const admin = new GraphQLClient(hub.url);
    await admin.login('admin@example.com', 'admin-password-123');
    const owner = await createPerson(admin, hub.url, 'member-a@example.com');
    const teamViewer = await createPerson(admin, hub.url, 'team-viewer@example.com');
    const teamEditor = await createPerson(admin, hub.url, 'team-editor@example.com');
    Object.assign(clients, {
      anonymous: new GraphQLClient(hub.url),
      admin,
      auditor: await createPerson(admin, hub.url, 'auditor@example.com', 'AUDITOR'),
      owner,
      stranger: await createPerson(admin, hub.url, 'member-b@example.com'),
      teamViewer,
      teamEditor,
    });
    // A's fixtures are shared with "viewers" at VIEWER and "editors" at EDITOR; A owns both teams.
    const viewers = await createTeam(owner, 'viewers');
    const editors = await createTeam(owner, 'editors');
    await addTeamMember(owner, viewers.id, teamViewer.userId);
    await addTeamMember(owner, editors.id, teamEditor.userId);
    kit = new MatrixFixtures(hub, admin, owner, { viewers: viewers.id, editors: editors.id }, [teamViewer.userId, teamEditor.userId], upstream.url);
  });
  afterAll(async () => {
    await hub?.close();
    await upstream?.stop();
  });

  it('should have exactly one row per query, mutation and subscription of the schema', () => {
    const schema = hub.app.get(GraphQLSchemaHost).schema;
    const roots = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter((t): t is GraphQLObjectType => !!t);
    const operations = roots.flatMap((root) => Object.keys(root.getFields()).map((field) => `${root.name}.${field}`)).sort();
    expect(operations.filter((op) => !AUTHZ_MATRIX[op])).toEqual([]);
    expect(Object.keys(AUTHZ_MATRIX).filter((op) => !operations.includes(op))).toEqual([]);
  });

  it.each(Object.keys(AUTHZ_MATRIX))('%s', async (operation) => {
    const row = AUTHZ_MATRIX[operation];
    const actual = await runRow(row);
    expect(actual).toEqual(row.expected);
  });

  /**
   * Columns expected to be refused run first, all on the row's fixtures; then the first column expected to succeed
   * uses them too and, for `fresh` rows, every further one gets fixtures of its own.
   */
  async function runRow(row: MatrixRow): Promise<Record<ActorName, string>> {
    const shared = await row.setup?.(kit);
    const order = [...ACTORS].sort((a, b) => Number(row.expected[a] === 'ok') - Number(row.expected[b] === 'ok'));
    const outcomes = {} as Record<ActorName, string>;
    let sharedUsedForSuccess = false;
    for (const actor of order) {
      const expectsSuccess = row.expected[actor] === 'ok';
      const fixtures = row.fresh && expectsSuccess && sharedUsedForSuccess ? await row.setup?.(kit) : shared;
      if (expectsSuccess) sharedUsedForSuccess = true;
      outcomes[actor] = await outcomeOf(row, actor, fixtures);
    }
    return Object.fromEntries(ACTORS.map((a) => [a, outcomes[a]])) as Record<ActorName, string>;
  }

  async function outcomeOf(row: MatrixRow, actor: ActorName, fixtures: unknown): Promise<string> {
    const variables = row.variables?.(fixtures, actor, kit) ?? {};
    if (row.trigger) return subscriptionOutcome(row, actor, fixtures, variables);
    const client = row.ownSession && actor !== 'anonymous' ? await signedInAgain(actor) : clients[actor];
    const res = await client.request(row.document, variables);
    return res.errors?.length ? describeError(res.errors[0]) : 'ok';
  }

  /** The column's person on a sign-in session of its own. */
  async function signedInAgain(actor: ActorName): Promise<GraphQLClient> {
    const client = new GraphQLClient(hub.url);
    await client.login(EMAILS[actor]!, kit.passwordOf(actor));
    return client;
  }

  /** 'ok' once the subscription delivers an event (made by `trigger` until one arrives), else the error it ends with. */
  async function subscriptionOutcome(row: MatrixRow, actor: ActorName, fixtures: unknown, variables: Record<string, unknown>): Promise<string> {
    const token = clients[actor].token;
    const ws = createClient({
      url: `${hub.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: token ? { authorization: `Bearer ${token}` } : {},
      retryAttempts: 0,
    });
    let outcome: string | undefined;
    try {
      void new Promise<string>((resolve) => {
        ws.subscribe(
          { query: row.document, variables },
          {
            // A refused subscription arrives as one result with errors (then complete), an event as data.
            next: (result) => resolve(result.errors?.length ? describeError(result.errors[0] as { message: string; extensions?: Record<string, unknown> }) : 'ok'),
            error: (error) => resolve(Array.isArray(error) ? describeError(error[0]) : `connection error: ${String((error as Error).message ?? error)}`),
            complete: () => resolve('completed without an event'),
          },
        );
      }).then((o) => (outcome = o));
      // graphql-ws does not acknowledge a subscription: keep making events until one arrives or it is refused.
      const deadline = Date.now() + SUBSCRIPTION_DEADLINE_MS;
      while (outcome === undefined && Date.now() < deadline) await row.trigger!(fixtures, kit);
      return outcome ?? `no event within ${SUBSCRIPTION_DEADLINE_MS} ms`;
    } finally {
      await ws.dispose();
    }
  }
});

/** The error code, or the code and message when it is not one of the matrix outcomes (so a failure explains itself). */
function describeError(error: { message: string; extensions?: Record<string, unknown> }): string {
  const code = String(error.extensions?.code ?? 'NO_CODE');
  return ['FORBIDDEN', 'NOT_FOUND', 'UNAUTHENTICATED', 'BAD_USER_INPUT'].includes(code) ? code : `${code}: ${error.message}`;
}

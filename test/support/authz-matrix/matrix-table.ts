import { DEAD_URL } from '../health-flips.js';
import { catalogServerJson, type MatrixFixtures, type Person, type Ref } from './matrix-fixtures.js';

/** The columns: who asks. */
export const ACTORS = ['anonymous', 'admin', 'auditor', 'owner', 'stranger', 'teamViewer', 'teamEditor'] as const;
export type ActorName = (typeof ACTORS)[number];

/** What they get: data, or the error code of the first error. */
/** BAD_USER_INPUT: let through by the access check, refused on its input (a code only a real sign-in flow makes). */
export type Outcome = 'ok' | 'FORBIDDEN' | 'NOT_FOUND' | 'UNAUTHENTICATED' | 'BAD_USER_INPUT';
export type Expected = Record<ActorName, Outcome>;

export interface MatrixRow<F = unknown> {
  /** Builds what the operation acts on (as member A, shared with the teams); once per row. */
  setup?: (kit: MatrixFixtures) => Promise<F>;
  /**
   * The operation changes or removes what it acts on: after the refused columns have run on the row's fixtures,
   * each further column expected to succeed gets fixtures of its own.
   */
  fresh?: boolean;
  document: string;
  variables?: (fixtures: F, actor: ActorName, kit: MatrixFixtures) => Record<string, unknown>;
  /**
   * The operation acts on the caller's own sign-in session(s): each column runs it on a session of its own (a new
   * sign-in), so the matrix's clients keep theirs. Rows that end OTHER sessions come last in the table.
   */
  ownSession?: boolean;
  /** Subscriptions: makes one event the subscription should receive (called until one arrives). */
  trigger?: (fixtures: F, kit: MatrixFixtures) => Promise<void>;
  expected: Expected;
}

const U = 'UNAUTHENTICATED';
const F = 'FORBIDDEN';
const N = 'NOT_FOUND';
/** Columns in ACTORS order: anonymous, admin, auditor, owner (A), stranger (B), team viewer, team editor. */
const cells = (...outcomes: Outcome[]): Expected => Object.fromEntries(ACTORS.map((a, i) => [a, outcomes[i]])) as Expected;

/** Sign-in itself. */
const PUBLIC = cells('ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok');
/** Anyone signed in; listings and `me` are scoped by the service. */
const SIGNED_IN = cells(U, 'ok', 'ok', 'ok', 'ok', 'ok', 'ok');
/** Creating things: every role but the auditor, who changes nothing. */
const WRITERS = cells(U, 'ok', F, 'ok', 'ok', 'ok', 'ok');
const ADMINS = cells(U, 'ok', F, F, F, F, F);
const ADMINS_AND_AUDITORS = cells(U, 'ok', 'ok', F, F, F, F);
/** Reading A's thing: B does not see it; both teams do (VIEWER is enough). */
const READ_SHARED = cells(U, 'ok', 'ok', 'ok', N, 'ok', 'ok');
/** Changing A's thing: EDITOR access (the viewers' team sees it but may not). */
const EDIT_SHARED = cells(U, 'ok', F, 'ok', N, F, 'ok');
/** Deleting or sharing A's thing: OWNER access (no team has it). */
const OWN_SHARED = cells(U, 'ok', F, 'ok', N, F, F);
/** A's API key: never shared, so the teams do not see it either. */
const READ_KEY = cells(U, 'ok', 'ok', 'ok', N, N, N);
const REVOKE_KEY = cells(U, 'ok', F, 'ok', N, N, N);
/** A team A owns with the two team columns as MEMBERs: they see it, only its OWNERs (and admins) manage it. */
const READ_TEAM = READ_SHARED;
const MANAGE_TEAM = cells(U, 'ok', F, 'ok', N, F, F);

const B = 'BAD_USER_INPUT';
/** Things of one person that are never shared (API keys, notification channels): admins reach them, auditors read. */
const READ_PERSONAL = READ_KEY;
const MANAGE_PERSONAL = REVOKE_KEY;
/** Own sign-in sessions and identities: scoped to the caller, so someone else's id is not found even to admins. */
const ONLY_MINE = cells(U, N, N, 'ok', N, N, N);
const NOWHERE_MINE = cells(U, N, N, N, N, N, N);

const row = <F>(r: MatrixRow<F>) => r as MatrixRow<unknown>;
const RANDOM_ID = '00000000-0000-4000-8000-000000000000';
const serverFixture = (kit: MatrixFixtures) => kit.server();
const groupFixture = (kit: MatrixFixtures) => kit.group();
const teamFixture = (kit: MatrixFixtures) => kit.team();

/**
 * Every query, mutation and subscription of the schema × every column → the expected outcome. The spec fails when
 * the schema has an operation without a row here (or a row names an operation the schema lacks).
 */
export const AUTHZ_MATRIX: Record<string, MatrixRow> = {
  // ── Sign-in and accounts ──────────────────────────────────────────────────────────────────────────────────
  'Mutation.login': row<Person>({
    setup: (kit) => kit.person(),
    document: 'mutation($e: String!, $p: String!){ login(email: $e, password: $p){ accessToken } }',
    variables: (p) => ({ e: p.email, p: p.password }),
    expected: PUBLIC,
  }),
  'Mutation.refreshToken': row<string>({
    setup: (kit) => kit.refreshToken(),
    fresh: true,
    document: 'mutation($t: String!){ refreshToken(refreshToken: $t){ accessToken } }',
    variables: (token) => ({ t: token }),
    expected: PUBLIC,
  }),
  'Query.me': row({ document: '{ me { id } }', expected: SIGNED_IN }),
  'Query.users': row({ document: '{ users { id } }', expected: ADMINS_AND_AUDITORS }),
  'Query.userList': row({ document: '{ userList(first: 1){ nodes { id } hasNextPage } }', expected: ADMINS_AND_AUDITORS }),
  'Mutation.createUser': row({
    document: 'mutation($i: CreateUserInput!){ createUser(input: $i){ id } }',
    variables: (_, actor, kit) => ({ i: { email: `${kit.unique(actor.toLowerCase())}@example.com`, password: 'created-password-1' } }),
    expected: ADMINS,
  }),
  'Mutation.updateUser': row<Person>({
    setup: (kit) => kit.person(),
    document: 'mutation($id: ID!){ updateUser(id: $id, input: { displayName: "Renamed" }){ id } }',
    variables: (p) => ({ id: p.id }),
    expected: ADMINS,
  }),
  'Mutation.disableUser': row<Person>({
    setup: (kit) => kit.person(),
    fresh: true,
    document: 'mutation($id: ID!){ disableUser(id: $id){ id } }',
    variables: (p) => ({ id: p.id }),
    expected: ADMINS,
  }),

  // ── API keys and usage ────────────────────────────────────────────────────────────────────────────────────
  'Query.apiKeys': row({ document: '{ apiKeys { nodes { id owner { email } } } }', expected: SIGNED_IN }),
  'Query.apiKey': row<{ id: string }>({
    setup: (kit) => kit.key(),
    document: 'query($id: ID!){ apiKey(id: $id){ id owner { email } } }',
    variables: (k) => ({ id: k.id }),
    expected: READ_KEY,
  }),
  'Mutation.updateApiKey': row<{ id: string }>({
    setup: (kit) => kit.key(),
    document: 'mutation($id: ID!){ updateApiKey(id: $id, input: { perMinute: 30, tags: ["matrix"] }){ id } }',
    variables: (k) => ({ id: k.id }),
    expected: MANAGE_PERSONAL,
  }),
  'Mutation.createApiKey': row<Ref>({
    setup: groupFixture,
    // Scoped to A's group: B may not use it (not found to him); both teams may (GROUP_USE is VIEWER access).
    document: 'mutation($g: ID!){ createApiKey(input: { name: "matrix", groupIds: [$g] }){ secret } }',
    variables: (g) => ({ g: g.id }),
    expected: cells(U, 'ok', F, 'ok', N, 'ok', 'ok'),
  }),
  'Mutation.revokeApiKey': row<{ id: string }>({
    setup: (kit) => kit.key(),
    fresh: true,
    document: 'mutation($id: ID!){ revokeApiKey(id: $id){ id } }',
    variables: (k) => ({ id: k.id }),
    expected: REVOKE_KEY,
  }),
  'Query.usage': row<{ id: string }>({
    setup: (kit) => kit.key(),
    document: 'query($k: ID!){ usage(keyId: $k, from: "2026-01-01T00:00:00Z", to: "2026-01-02T00:00:00Z"){ calls } }',
    variables: (k) => ({ k: k.id }),
    expected: READ_KEY,
  }),

  // ── Servers, replicas, health ─────────────────────────────────────────────────────────────────────────────
  'Query.servers': row({ document: '{ servers { id } }', expected: SIGNED_IN }),
  'Query.serverPage': row({ document: '{ serverPage(first: 1){ nodes { id } pageInfo { hasNextPage } } }', expected: SIGNED_IN }),
  'Query.server': row<Ref>({ setup: serverFixture, document: 'query($id: ID!){ server(id: $id){ id shares { teamId } } }', variables: (s) => ({ id: s.id }), expected: READ_SHARED }),
  'Mutation.registerServer': row({
    document: 'mutation($i: RegisterServerInput!){ registerServer(input: $i){ id } }',
    variables: (_, actor, kit) => ({ i: { name: kit.unique(actor.toLowerCase()), transport: 'STREAMABLE_HTTP', url: DEAD_URL, enabled: false } }),
    expected: WRITERS,
  }),
  'Mutation.updateServer': row<Ref>({
    setup: serverFixture,
    document: 'mutation($id: ID!){ updateServer(id: $id, input: { description: "changed" }){ id } }',
    variables: (s) => ({ id: s.id }),
    expected: EDIT_SHARED,
  }),
  'Mutation.setServerOAuth': row<Ref>({
    setup: serverFixture,
    document: 'mutation($id: ID!){ setServerOAuth(serverId: $id, input: { enabled: true }){ id } }',
    variables: (s) => ({ id: s.id }),
    expected: EDIT_SHARED,
  }),
  // Whoever may read the server may authorize it for themselves; this one does not use OAuth (refused on its input).
  'Mutation.authorizeUpstream': row<Ref>({
    setup: serverFixture,
    document: 'mutation($id: ID!){ authorizeUpstream(serverId: $id){ authorizationUrl } }',
    variables: (s) => ({ id: s.id }),
    expected: cells(U, B, B, B, N, B, B),
  }),
  // Only ever the caller's own authorization.
  'Mutation.revokeUpstreamAuthorization': row<Ref>({
    setup: serverFixture,
    document: 'mutation($id: ID!){ revokeUpstreamAuthorization(serverId: $id) }',
    variables: (s) => ({ id: s.id }),
    expected: SIGNED_IN,
  }),
  'Mutation.removeServer': row<Ref>({ setup: serverFixture, fresh: true, document: 'mutation($id: ID!){ removeServer(id: $id) }', variables: (s) => ({ id: s.id }), expected: OWN_SHARED }),
  'Mutation.testServer': row<Ref>({ setup: serverFixture, document: 'mutation($id: ID!){ testServer(id: $id){ ok } }', variables: (s) => ({ id: s.id }), expected: EDIT_SHARED }),
  'Mutation.restartServer': row<Ref>({ setup: serverFixture, document: 'mutation($id: ID!){ restartServer(id: $id){ id } }', variables: (s) => ({ id: s.id }), expected: EDIT_SHARED }),
  'Mutation.updateServerBalancing': row<Ref>({
    setup: serverFixture,
    document: 'mutation($id: ID!){ updateServerBalancing(serverId: $id, input: { weight: 2 }){ id } }',
    variables: (s) => ({ id: s.id }),
    expected: EDIT_SHARED,
  }),
  'Mutation.addServerReplica': row<Ref>({
    setup: serverFixture,
    document: 'mutation($s: ID!, $i: AddServerReplicaInput!){ addServerReplica(serverId: $s, input: $i){ id } }',
    variables: (s, actor, kit) => ({ s: s.id, i: { name: kit.unique(actor.toLowerCase()), transport: 'STREAMABLE_HTTP', url: DEAD_URL } }),
    expected: EDIT_SHARED,
  }),
  'Mutation.updateServerReplica': row<{ id: string }>({
    setup: async (kit) => kit.replica((await kit.server()).id),
    document: 'mutation($id: ID!){ updateServerReplica(id: $id, input: { weight: 3 }){ id } }',
    variables: (r) => ({ id: r.id }),
    expected: EDIT_SHARED,
  }),
  'Mutation.removeServerReplica': row<{ id: string }>({
    setup: async (kit) => kit.replica((await kit.server()).id),
    fresh: true,
    document: 'mutation($id: ID!){ removeServerReplica(id: $id) }',
    variables: (r) => ({ id: r.id }),
    expected: EDIT_SHARED,
  }),
  'Query.serverHealthHistory': row<Ref>({
    setup: serverFixture,
    document: 'query($id: ID!){ serverHealthHistory(serverId: $id){ status } }',
    variables: (s) => ({ id: s.id }),
    expected: READ_SHARED,
  }),
  'Subscription.serverStatusChanged': row<Ref>({
    setup: (kit) => kit.server({ enabled: true }),
    document: 'subscription($id: ID){ serverStatusChanged(serverId: $id){ serverId to } }',
    variables: (s) => ({ id: s.id }),
    trigger: (s, kit) => kit.flipHealth(s.id),
    expected: READ_SHARED,
  }),
  'Mutation.approveToolChange': row<Ref>({
    setup: async (kit) => {
      const server = await kit.server();
      await kit.driftTool(server.id);
      return server;
    },
    fresh: true,
    document: 'mutation($id: ID!){ approveToolChange(serverId: $id, tool: "probe"){ id } }',
    variables: (s) => ({ id: s.id }),
    expected: EDIT_SHARED,
  }),
  'Subscription.toolDriftDetected': row<Ref>({
    setup: (kit) => kit.server(),
    document: 'subscription($id: ID){ toolDriftDetected(serverId: $id){ serverId tool } }',
    variables: (s) => ({ id: s.id }),
    trigger: (s, kit) => kit.driftTool(s.id),
    expected: READ_SHARED,
  }),
  'Mutation.shareServer': row<{ server: Ref; team: Ref }>({
    setup: async (kit) => ({ server: await kit.server(), team: await kit.emptyTeam() }),
    document: 'mutation($s: ID!, $t: ID!){ shareServer(serverId: $s, teamId: $t, level: VIEWER){ id } }',
    variables: (f) => ({ s: f.server.id, t: f.team.id }),
    expected: OWN_SHARED,
  }),
  'Mutation.unshareServer': row<{ server: Ref; team: Ref }>({
    setup: async (kit) => {
      const fixtures = { server: await kit.server(), team: await kit.emptyTeam() };
      await kit.shareWith('Server', fixtures.server.id, fixtures.team.id);
      return fixtures;
    },
    fresh: true,
    document: 'mutation($s: ID!, $t: ID!){ unshareServer(serverId: $s, teamId: $t){ id } }',
    variables: (f) => ({ s: f.server.id, t: f.team.id }),
    expected: OWN_SHARED,
  }),

  // ── Groups, revisions, routing rules ──────────────────────────────────────────────────────────────────────
  'Query.groups': row({ document: '{ groups { id } }', expected: SIGNED_IN }),
  'Query.group': row<Ref>({ setup: groupFixture, document: 'query($s: String!){ group(slug: $s){ id shares { level } } }', variables: (g) => ({ s: g.slug }), expected: READ_SHARED }),
  'Mutation.createGroup': row({
    document: 'mutation($i: CreateGroupInput!){ createGroup(input: $i){ id } }',
    variables: (_, actor, kit) => ({ i: { name: kit.unique(actor.toLowerCase()) } }),
    expected: WRITERS,
  }),
  'Mutation.importClientConfig': row({
    document: 'mutation($i: ImportClientConfigInput!){ importClientConfig(input: $i){ group { id } } }',
    variables: (_, actor, kit) => ({
      i: { format: 'MCP_SERVERS', groupName: kit.unique(actor.toLowerCase()), json: JSON.stringify({ mcpServers: { [kit.unique(actor.toLowerCase())]: { url: DEAD_URL } } }) },
    }),
    // A URL entry: stdio entries also take SERVER_RUN_COMMAND (admins), proven in client-config-import.e2e.spec.ts.
    expected: WRITERS,
  }),
  'Query.exportClientConfig': row<Ref>({
    setup: groupFixture,
    document: 'query($g: ID!){ exportClientConfig(groupId: $g, format: VSCODE){ memberServers } }',
    variables: (g) => ({ g: g.id }),
    expected: READ_SHARED,
  }),
  'Mutation.updateGroup': row<Ref>({
    setup: groupFixture,
    document: 'mutation($id: ID!){ updateGroup(id: $id, input: { description: "changed" }){ id } }',
    variables: (g) => ({ id: g.id }),
    expected: EDIT_SHARED,
  }),
  'Mutation.removeGroup': row<Ref>({ setup: groupFixture, fresh: true, document: 'mutation($id: ID!){ removeGroup(id: $id) }', variables: (g) => ({ id: g.id }), expected: OWN_SHARED }),
  'Mutation.addServerToGroup': row<{ group: Ref; server: Ref }>({
    setup: async (kit) => ({ group: await kit.group(), server: await kit.server() }),
    fresh: true,
    document: 'mutation($g: ID!, $s: ID!){ addServerToGroup(groupId: $g, serverId: $s){ id } }',
    variables: (f) => ({ g: f.group.id, s: f.server.id }),
    // EDITOR on the group is not enough: adding a server exposes it, which takes OWNER access to the server.
    expected: OWN_SHARED,
  }),
  'Mutation.removeServerFromGroup': row<{ group: Ref; server: Ref }>({
    setup: async (kit) => {
      const server = await kit.server();
      return { server, group: await kit.group([server.id]) };
    },
    fresh: true,
    document: 'mutation($g: ID!, $s: ID!){ removeServerFromGroup(groupId: $g, serverId: $s){ id } }',
    variables: (f) => ({ g: f.group.id, s: f.server.id }),
    expected: EDIT_SHARED,
  }),
  'Mutation.reorderGroupServers': row<{ group: Ref; server: Ref }>({
    setup: async (kit) => {
      const server = await kit.server();
      return { server, group: await kit.group([server.id]) };
    },
    document: 'mutation($g: ID!, $s: [ID!]!){ reorderGroupServers(groupId: $g, serverIds: $s){ id } }',
    variables: (f) => ({ g: f.group.id, s: [f.server.id] }),
    expected: EDIT_SHARED,
  }),
  'Query.groupRevisions': row<Ref>({ setup: groupFixture, document: 'query($g: ID!){ groupRevisions(groupId: $g){ revision } }', variables: (g) => ({ g: g.id }), expected: READ_SHARED }),
  'Mutation.rollbackGroup': row<Ref>({
    setup: groupFixture,
    document: 'mutation($g: ID!){ rollbackGroup(groupId: $g, revision: 1){ id } }',
    variables: (g) => ({ g: g.id }),
    expected: EDIT_SHARED,
  }),
  'Mutation.shareGroup': row<{ group: Ref; team: Ref }>({
    setup: async (kit) => ({ group: await kit.group(), team: await kit.emptyTeam() }),
    document: 'mutation($g: ID!, $t: ID!){ shareGroup(groupId: $g, teamId: $t, level: VIEWER){ id } }',
    variables: (f) => ({ g: f.group.id, t: f.team.id }),
    expected: OWN_SHARED,
  }),
  'Mutation.unshareGroup': row<{ group: Ref; team: Ref }>({
    setup: async (kit) => {
      const fixtures = { group: await kit.group(), team: await kit.emptyTeam() };
      await kit.shareWith('Group', fixtures.group.id, fixtures.team.id);
      return fixtures;
    },
    fresh: true,
    document: 'mutation($g: ID!, $t: ID!){ unshareGroup(groupId: $g, teamId: $t){ id } }',
    variables: (f) => ({ g: f.group.id, t: f.team.id }),
    expected: OWN_SHARED,
  }),
  'Query.routingRules': row<Ref>({ setup: groupFixture, document: 'query($g: ID!){ routingRules(groupId: $g){ id } }', variables: (g) => ({ g: g.id }), expected: READ_SHARED }),
  'Query.explainRoute': row<Ref>({
    setup: groupFixture,
    document: 'query($g: ID!){ explainRoute(groupId: $g, toolName: "some__tool"){ __typename } }',
    variables: (g) => ({ g: g.id }),
    expected: READ_SHARED,
  }),
  'Mutation.createRoutingRule': row<Ref>({
    setup: groupFixture,
    document: 'mutation($i: CreateRoutingRuleInput!){ createRoutingRule(input: $i){ id } }',
    // Priorities are unique within a group: one per column.
    variables: (g, actor) => ({ i: { groupId: g.id, name: actor, priority: ACTORS.indexOf(actor), action: { type: 'DENY', message: 'no' } } }),
    expected: EDIT_SHARED,
  }),
  'Mutation.updateRoutingRule': row<{ id: string }>({
    setup: async (kit) => kit.rule((await kit.group()).id),
    document: 'mutation($id: ID!){ updateRoutingRule(id: $id, input: { enabled: false }){ id } }',
    variables: (r) => ({ id: r.id }),
    expected: EDIT_SHARED,
  }),
  'Mutation.removeRoutingRule': row<{ id: string }>({
    setup: async (kit) => kit.rule((await kit.group()).id),
    fresh: true,
    document: 'mutation($id: ID!){ removeRoutingRule(id: $id) }',
    variables: (r) => ({ id: r.id }),
    expected: EDIT_SHARED,
  }),

  // ── Teams ─────────────────────────────────────────────────────────────────────────────────────────────────
  'Query.teams': row({ document: '{ teams { id } }', expected: SIGNED_IN }),
  'Query.team': row<Ref>({ setup: teamFixture, document: 'query($id: ID!){ team(id: $id){ id members { userId } } }', variables: (t) => ({ id: t.id }), expected: READ_TEAM }),
  'Mutation.createTeam': row({
    document: 'mutation($i: CreateTeamInput!){ createTeam(input: $i){ id } }',
    variables: (_, actor, kit) => ({ i: { name: kit.unique(actor.toLowerCase()) } }),
    expected: WRITERS,
  }),
  'Mutation.updateTeam': row<Ref>({
    setup: teamFixture,
    document: 'mutation($id: ID!){ updateTeam(id: $id, input: { name: "Renamed" }){ id } }',
    variables: (t) => ({ id: t.id }),
    expected: MANAGE_TEAM,
  }),
  'Mutation.deleteTeam': row<Ref>({ setup: teamFixture, fresh: true, document: 'mutation($id: ID!){ deleteTeam(id: $id) }', variables: (t) => ({ id: t.id }), expected: MANAGE_TEAM }),
  'Mutation.addTeamMember': row<{ team: Ref; person: Person }>({
    setup: async (kit) => ({ team: await kit.team(), person: await kit.person() }),
    fresh: true,
    document: 'mutation($t: ID!, $e: String!){ addTeamMember(teamId: $t, email: $e){ id } }',
    variables: (f) => ({ t: f.team.id, e: f.person.email }),
    expected: MANAGE_TEAM,
  }),
  'Mutation.setTeamMemberRole': row<{ team: Ref; person: Person }>({
    setup: async (kit) => {
      const person = await kit.person();
      return { team: await kit.team([person.id]), person };
    },
    fresh: true,
    document: 'mutation($t: ID!, $u: ID!){ setTeamMemberRole(teamId: $t, userId: $u, role: OWNER){ id } }',
    variables: (f) => ({ t: f.team.id, u: f.person.id }),
    expected: MANAGE_TEAM,
  }),
  'Mutation.removeTeamMember': row<{ team: Ref; person: Person }>({
    setup: async (kit) => {
      const person = await kit.person();
      return { team: await kit.team([person.id]), person };
    },
    fresh: true,
    document: 'mutation($t: ID!, $u: ID!){ removeTeamMember(teamId: $t, userId: $u){ id } }',
    variables: (f) => ({ t: f.team.id, u: f.person.id }),
    expected: MANAGE_TEAM,
  }),

  // ── Sign-in sessions, linked identities, external sign-in ─────────────────────────────────────────────────
  'Query.mySessions': row({ document: '{ mySessions { id current } }', expected: SIGNED_IN }),
  'Mutation.revokeSession': row<string>({
    setup: (kit) => kit.ownerSession(),
    fresh: true,
    document: 'mutation($id: ID!){ revokeSession(id: $id) }',
    variables: (sessionId) => ({ id: sessionId }),
    expected: ONLY_MINE,
  }),
  'Mutation.revokeUserSessions': row<Person>({
    setup: (kit) => kit.person(),
    document: 'mutation($id: ID!){ revokeUserSessions(userId: $id) }',
    variables: (p) => ({ id: p.id }),
    expected: ADMINS,
  }),
  'Query.signInProviders': row({ document: '{ signInProviders { provider } }', expected: PUBLIC }),
  'Mutation.exchangeSignInCode': row({
    document: 'mutation { exchangeSignInCode(code: "not-a-code"){ accessToken } }',
    expected: cells(U, U, U, U, U, U, U),
  }),
  'Query.myIdentities': row({ document: '{ myIdentities { id } }', expected: SIGNED_IN }),
  'Mutation.linkProvider': row({ document: 'mutation { linkProvider(provider: GITHUB){ url } }', expected: SIGNED_IN }),
  'Mutation.completeProviderLink': row({
    document: 'mutation { completeProviderLink(code: "not-a-code"){ id } }',
    expected: cells(U, B, B, B, B, B, B),
  }),
  'Mutation.unlinkIdentity': row({ document: `mutation { unlinkIdentity(id: "${RANDOM_ID}") }`, expected: NOWHERE_MINE }),

  // ── Audit log ─────────────────────────────────────────────────────────────────────────────────────────────
  'Query.auditLog': row({ document: '{ auditLog(first: 1){ nodes { id } } }', expected: ADMINS_AND_AUDITORS }),

  // ── Notification channels ─────────────────────────────────────────────────────────────────────────────────
  'Query.notificationChannels': row({ document: '{ notificationChannels { id } }', expected: SIGNED_IN }),
  'Mutation.createNotificationChannel': row({
    document: 'mutation($i: CreateNotificationChannelInput!){ createNotificationChannel(input: $i){ secret } }',
    variables: (_, actor, kit) => ({ i: { name: kit.unique(actor), url: 'http://127.0.0.1:9/hook', events: ['SERVER_HEALTH_CHANGED'] } }),
    expected: SIGNED_IN,
  }),
  'Mutation.updateNotificationChannel': row<{ id: string }>({
    setup: (kit) => kit.channel(),
    document: 'mutation($id: ID!){ updateNotificationChannel(id: $id, input: { name: "renamed" }){ id } }',
    variables: (c) => ({ id: c.id }),
    expected: MANAGE_PERSONAL,
  }),
  'Mutation.testNotificationChannel': row<{ id: string }>({
    setup: (kit) => kit.channel(),
    document: 'mutation($id: ID!){ testNotificationChannel(id: $id){ id } }',
    variables: (c) => ({ id: c.id }),
    expected: MANAGE_PERSONAL,
  }),
  'Mutation.deleteNotificationChannel': row<{ id: string }>({
    setup: (kit) => kit.channel(),
    fresh: true,
    document: 'mutation($id: ID!){ deleteNotificationChannel(id: $id) }',
    variables: (c) => ({ id: c.id }),
    expected: MANAGE_PERSONAL,
  }),
  'Query.notificationChannel': row<{ id: string }>({
    setup: (kit) => kit.channel(),
    document: 'query($id: ID!){ notificationChannel(id: $id){ id } }',
    variables: (c) => ({ id: c.id }),
    expected: READ_PERSONAL,
  }),
  'Query.notificationDeliveries': row<{ id: string }>({
    setup: (kit) => kit.channel(),
    document: 'query($id: ID!){ notificationDeliveries(channelId: $id){ nodes { id } } }',
    variables: (c) => ({ id: c.id }),
    expected: READ_PERSONAL,
  }),

  // ── Call log, analytics, DEBUG capture ────────────────────────────────────────────────────────────────────
  'Query.callLog': row({ document: '{ callLog(first: 1){ entries { id } } }', expected: SIGNED_IN }),
  'Query.usageAnalytics': row({
    document: 'query { usageAnalytics(from: "2026-01-01T00:00:00Z", to: "2026-01-02T00:00:00Z", groupBy: KEY){ calls } }',
    expected: SIGNED_IN,
  }),
  'Query.callSeries': row({
    document: 'query { callSeries(from: "2026-01-01T00:00:00Z", to: "2026-01-01T01:00:00Z", bucketSeconds: 60){ start calls errors } }',
    expected: SIGNED_IN,
  }),
  'Query.callCaptures': row({ document: '{ callCaptures { targetId } }', expected: SIGNED_IN }),
  'Mutation.enableCallCapture': row<{ id: string }>({
    setup: (kit) => kit.key(),
    document: 'mutation($id: ID!){ enableCallCapture(target: KEY, id: $id, minutes: 5){ expiresAt } }',
    variables: (k) => ({ id: k.id }),
    expected: MANAGE_PERSONAL,
  }),
  'Mutation.disableCallCapture': row<Ref>({
    setup: groupFixture,
    // On a shared group: capturing is the owner's (OWNER access), so both teams see it but may not.
    document: 'mutation($id: ID!){ disableCallCapture(target: GROUP, id: $id) }',
    variables: (g) => ({ id: g.id }),
    expected: OWN_SHARED,
  }),

  // ── Marketplace catalog: everyone signed in browses, admins change it ────────────────────────────────────────
  'Query.catalogEntries': row({ document: '{ catalogEntries(search: "github", first: 2){ nodes { id name } hasNextPage } }', expected: SIGNED_IN }),
  'Query.catalogEntry': row<{ id: string }>({
    setup: (kit) => kit.catalogEntry(),
    document: 'query($id: ID!){ catalogEntry(id: $id){ id command } }',
    variables: (e) => ({ id: e.id }),
    expected: SIGNED_IN,
  }),
  'Mutation.importCatalogEntry': row({
    document: 'mutation($j: String!){ importCatalogEntry(serverJson: $j){ id } }',
    variables: (_, actor, kit) => ({ j: catalogServerJson(`io.example/${kit.unique(actor.toLowerCase())}`) }),
    expected: ADMINS,
  }),
  'Mutation.importCatalogFromRegistry': row({
    document: 'mutation($u: String!){ importCatalogFromRegistry(url: $u){ created updated skipped } }',
    variables: (_, _actor, kit) => ({ u: kit.registryUrl() }),
    expected: ADMINS,
  }),
  // A remote entry (a stdio one would need admins, and its pre-fetch would ask a real npm registry).
  'Mutation.installCatalogEntry': row<{ id: string }>({
    setup: (kit) => kit.remoteCatalogEntry(),
    document: 'mutation($i: InstallCatalogEntryInput!){ installCatalogEntry(input: $i){ server { id } } }',
    variables: (e) => ({ i: { entryId: e.id, values: [{ name: 'Authorization', value: 'Bearer matrix' }] } }),
    expected: WRITERS,
  }),
  'Query.serverInstallation': row<Ref>({
    setup: serverFixture,
    document: 'query($id: ID!){ serverInstallation(serverId: $id){ state } }',
    variables: (s) => ({ id: s.id }),
    expected: READ_SHARED,
  }),
  // A's server was not installed from the catalog: those let through are refused on input (nothing to retry).
  'Mutation.retryServerInstallation': row<Ref>({
    setup: serverFixture,
    document: 'mutation($id: ID!){ retryServerInstallation(serverId: $id){ state } }',
    variables: (s) => ({ id: s.id }),
    expected: cells(U, B, F, B, N, F, B),
  }),
  'Mutation.removeCatalogEntry': row<{ id: string }>({
    setup: (kit) => kit.catalogEntry(),
    fresh: true,
    document: 'mutation($id: ID!){ removeCatalogEntry(id: $id) }',
    variables: (e) => ({ id: e.id }),
    expected: ADMINS,
  }),

  // ── Backups: whole-hub ones admins only (every account, key hash and secret); personal ones their owner's ──────
  'Query.backups': row({ document: '{ backups { id } }', expected: SIGNED_IN }),
  // A passphrase too short: let through by the access check, refused on input (no archive written by the matrix).
  'Mutation.createBackup': row({ document: 'mutation { createBackup(passphrase: "short") { id } }', expected: cells(U, B, F, F, F, F, F) }),
  // An unknown archive is "not found" to everyone allowed to have archives (everyone signed in has personal ones).
  'Mutation.verifyBackup': row({
    document: 'mutation($id: ID!){ verifyBackup(id: $id, passphrase: "any passphrase") { id } }',
    variables: () => ({ id: RANDOM_ID }),
    expected: cells(U, N, N, N, N, N, N),
  }),
  'Mutation.restoreBackup': row({
    document: 'mutation($id: ID!){ restoreBackup(input: { backupId: $id, passphrase: "any passphrase" }) { dryRun } }',
    variables: () => ({ id: RANDOM_ID }),
    expected: cells(U, N, N, N, N, N, N),
  }),
  'Mutation.deleteBackup': row({ document: 'mutation($id: ID!){ deleteBackup(id: $id) }', variables: () => ({ id: RANDOM_ID }), expected: cells(U, N, N, N, N, N, N) }),
  // ── Credentials: one's own (any role), a team's (its OWNERs), the hub's (admins); values never readable ─────
  'Query.credentials': row({ document: '{ credentials { id name scope maskedValue } }', expected: SIGNED_IN }),
  'Mutation.setCredential': row({
    document: 'mutation($i: SetCredentialInput!){ setCredential(input: $i){ id } }',
    variables: () => ({ i: { name: 'MATRIX_TOKEN', value: 'own-value' } }),
    expected: SIGNED_IN,
  }),
  'Mutation.deleteCredential': row<{ id: string }>({
    setup: (kit) => kit.credential(),
    fresh: true,
    document: 'mutation($id: ID!){ deleteCredential(id: $id) }',
    variables: (c) => ({ id: c.id }),
    expected: MANAGE_PERSONAL,
  }),
  // ── Encryption keys: admins and auditors see ids and counts, admins rotate and retire ───────────────────────
  'Query.encryptionKeys': row({ document: '{ encryptionKeys { id kind state ciphertexts } }', expected: ADMINS_AND_AUDITORS }),
  'Query.keyRotation': row({ document: '{ keyRotation { id state total done } }', expected: ADMINS_AND_AUDITORS }),
  'Mutation.rotateEncryptionKey': row({ document: 'mutation { rotateEncryptionKey { id keyId state } }', expected: ADMINS }),
  // An id no key has: the admin passes the access check and meets NOT_FOUND.
  'Mutation.retireEncryptionKey': row({ document: 'mutation { retireEncryptionKey(id: "0badc0de"){ id } }', expected: cells(U, N, F, F, F, F, F) }),

  // ── Last: these end the caller's OTHER sessions (the matrix clients'), or change their password ───────────
  'Mutation.signOut': row({ ownSession: true, document: 'mutation { signOut }', expected: SIGNED_IN }),
  'Mutation.revokeOtherSessions': row({ ownSession: true, document: 'mutation { revokeOtherSessions }', expected: SIGNED_IN }),
  'Mutation.changePassword': row({
    ownSession: true,
    document: 'mutation($c: String!, $n: String!){ changePassword(currentPassword: $c, newPassword: $n) }',
    variables: (_, actor, kit) => ({ c: kit.passwordOf(actor), n: `${kit.passwordOf(actor)}-changed` }),
    expected: SIGNED_IN,
  }),
};

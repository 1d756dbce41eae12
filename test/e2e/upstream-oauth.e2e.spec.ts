import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SealedColumnRegistry } from '#core';
import { ServerHealthService } from '#servers';
import { GraphQLClient, errorCode } from '../support/graphql-client.js';
import { addTeamMember, createGroup, createKey, createPerson, createTeam, registerServer, share } from '../support/hub-fixtures.js';
import { startHub, type RunningHub } from '../support/hub-app.js';
import { hubTargetRows, hubTargets } from '../support/hub-targets.js';
import { connectStreamable } from '../support/mcp-clients.js';
import { testConfig } from '../support/test-config.js';
import { waitFor } from '../support/upstreams.js';
import { startAuthorizationServer, startProtectedMcpServer, type AuthorizationServerStandIn, type ProtectedMcpServer } from '../support/oauth-upstream-stand-ins.js';
import { startWorker } from '../support/worker-app.js';

type Person = GraphQLClient & { userId: string };
const SET_OAUTH = 'mutation($s: ID!, $i: ServerOAuthInput!){ setServerOAuth(serverId: $s, input: $i){ id oauth { clientId clientSecretSet scopes } } }';
const AUTHORIZE = 'mutation($s: ID!){ authorizeUpstream(serverId: $s){ authorizationUrl expiresAt } }';
const REVOKE = 'mutation($s: ID!){ revokeUpstreamAuthorization(serverId: $s) }';
const STATE = 'query($s: ID!){ server(id: $s){ upstreamAuthorization { state expiresAt scopes } } }';
const HEALTH = 'query($s: ID!){ server(id: $s){ health { status error note } } }';

describe.each(hubTargetRows)('upstream OAuth on %s', (_name, target) => {
  // What does not depend on the deployment runs on one target.
  const itOnce = target === hubTargets[0] || process.env.TEST_ALL_TARGETS === '1' ? it : it.skip;
  let hub: RunningHub;
  let admin: GraphQLClient;
  let alice: Person;
  let bob: Person;
  let carol: Person;
  let dcrAs: AuthorizationServerStandIn;
  let configuredAs: AuthorizationServerStandIn;
  let dcrUpstream: ProtectedMcpServer;
  let configuredUpstream: ProtectedMcpServer;
  let dcrServerId: string;
  let configuredServerId: string;
  const keys = new Map<string, string>();
  const clients: Client[] = [];
  const agents = new Map<string, Client>();

  /** What a person's browser does: the authorize URL (the AS signs them in as `subject`), then the hub's callback. */
  const authorize = async (person: Person, serverId: string, subject: string) => {
    const { authorizeUpstream } = await person.data<{ authorizeUpstream: { authorizationUrl: string } }>(AUTHORIZE, { s: serverId });
    const atAs = await fetch(`${authorizeUpstream.authorizationUrl}&login_hint=${encodeURIComponent(subject)}`, { redirect: 'manual' });
    expect(atAs.status).toBe(302);
    const callback = atAs.headers.get('location')!;
    expect(callback.startsWith(`${hub.url}/oauth/upstream/callback?`)).toBe(true);
    const back = await fetch(callback, { redirect: 'manual' });
    expect(back.status).toBe(302);
    return { url: new URL(authorizeUpstream.authorizationUrl), callback, landing: new URL(back.headers.get('location')!) };
  };
  const connect = async (person: string) => {
    const client = await connectStreamable(hub.url, 'oauth', keys.get(person)!);
    clients.push(client);
    return client;
  };
  const call = async (client: Client, tool: string) => {
    const result = (await client.callTool({ name: tool, arguments: {} })) as { content: { text: string }[] };
    return JSON.parse(result.content[0].text) as { subject: string };
  };
  const stateOf = async (person: Person, serverId: string) =>
    (await person.data<{ server: { upstreamAuthorization: { state: string; expiresAt: string | null; scopes: string[] } | null } }>(STATE, { s: serverId })).server.upstreamAuthorization;

  beforeAll(async () => {
    [dcrAs, configuredAs] = await Promise.all([startAuthorizationServer({ dynamicRegistration: true }), startAuthorizationServer({ dynamicRegistration: false })]);
    [dcrUpstream, configuredUpstream] = await Promise.all([
      startProtectedMcpServer({ issuer: dcrAs.issuer, toolName: 'who_dcr', accepts: dcrAs.accepts }),
      startProtectedMcpServer({ issuer: configuredAs.issuer, toolName: 'who_configured', accepts: configuredAs.accepts }),
    ]);
    hub = await startHub(target.database, target.env);
    admin = new GraphQLClient(hub.url);
    await admin.login('admin@example.com', 'admin-password-123');
    [alice, bob, carol] = await Promise.all(['alice', 'bob', 'carol'].map((n) => createPerson(admin, hub.url, `${n}@example.com`)));
    // A configured Authorization header must never reach the upstream in place of the person's own token.
    ({ id: dcrServerId } = await registerServer(admin, { name: 'DCR tools', slug: 'dcr-tools', transport: 'STREAMABLE_HTTP', url: dcrUpstream.url, headers: [{ name: 'Authorization', value: 'Bearer configured-static-token' }] }));
    ({ id: configuredServerId } = await registerServer(admin, { name: 'Configured tools', slug: 'configured-tools', transport: 'STREAMABLE_HTTP', url: configuredUpstream.url }));
    const group = await createGroup(admin, 'oauth', [dcrServerId, configuredServerId], 'NONE');
    const { id: teamId } = await createTeam(admin, 'everyone');
    for (const person of [alice, bob, carol]) await addTeamMember(admin, teamId, person.userId);
    await share(admin, 'Group', group.id, teamId, 'VIEWER');
    for (const id of [dcrServerId, configuredServerId]) await share(admin, 'Server', id, teamId, 'VIEWER');
    for (const [name, person] of [['alice', alice], ['bob', bob], ['carol', carol]] as const) keys.set(name, (await createKey(person)).secret);
  }, 60_000);

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await hub?.close();
    await Promise.all([dcrUpstream?.stop(), configuredUpstream?.stop(), dcrAs?.stop(), configuredAs?.stop()]);
  });

  it('lets only people who may change the server turn OAuth on, and only for remote servers', async () => {
    const refused = await alice.request(SET_OAUTH, { s: dcrServerId, i: { enabled: true } });
    expect(errorCode(refused)).toBe('FORBIDDEN');
    const { setServerOAuth } = await admin.data<{ setServerOAuth: { oauth: unknown } }>(SET_OAUTH, { s: dcrServerId, i: { enabled: true } });
    expect(setServerOAuth.oauth).toEqual({ clientId: null, clientSecretSet: false, scopes: [] });
    const configured = await admin.data<{ setServerOAuth: { oauth: unknown } }>(SET_OAUTH, {
      s: configuredServerId,
      i: { enabled: true, clientId: 'hub-client', clientSecret: 'hub-client-secret', scopes: ['mcp:tools', 'offline_access'] },
    });
    expect(configured.setServerOAuth.oauth).toEqual({ clientId: 'hub-client', clientSecretSet: true, scopes: ['mcp:tools', 'offline_access'] });
    expect(JSON.stringify(configured)).not.toContain('hub-client-secret');
    expect(await stateOf(alice, dcrServerId)).toEqual({ state: 'NOT_AUTHORIZED', expiresAt: null, scopes: [] });
  });

  it('reports a server nobody has authorized as up: its 401 challenge asks for authorization, it is not down', async () => {
    // Checked where checks run: in the hub (embedded), else in the worker process, which probes afresh, with no
    // person's token (the configured static one is refused the same way).
    let worker: INestApplicationContext | undefined;
    if (!target.inProcessJobs) {
      const config = testConfig({
        DATABASE_URL: hub.config.databaseUrl,
        REDIS_URL: hub.config.redisUrl,
        HUB_ENCRYPTION_KEY: hub.config.encryption.key.toString('base64'),
        JWT_SECRET: hub.config.jwt.secret,
      });
      worker = await startWorker(config);
    }
    try {
      const health = (worker ?? hub.app).get(ServerHealthService);
      const noted = { status: 'HEALTHY', error: null, note: expect.stringContaining('asks each person to authorize it (OAuth)') };
      for (const id of [dcrServerId, configuredServerId]) expect(await health.check(id, id)).toMatchObject(noted);
      const { server } = await alice.data<{ server: { health: unknown[] } }>(HEALTH, { s: dcrServerId });
      expect(server.health).toEqual([noted]);
      expect(dcrUpstream.received.filter((r) => r.subject).length).toBe(0);
    } finally {
      await worker?.close();
    }
  });

  it("has two people authorize once (dynamic registration, PKCE); each agent's calls carry that person's own token", async () => {
    const first = await authorize(alice, dcrServerId, 'alice-at-upstream');
    expect(first.landing.pathname).toBe(`/servers/${dcrServerId}`);
    expect(first.landing.searchParams.get('upstreamAuthorization')).toBe('ok');
    // Authorization code + PKCE (S256) for the server as resource (RFC 8707), scopes from its 401.
    expect(first.url.searchParams.get('response_type')).toBe('code');
    expect(first.url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(first.url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.url.searchParams.get('resource')).toBe(dcrUpstream.url);
    expect(first.url.searchParams.get('scope')).toBe('mcp:tools');
    await authorize(bob, dcrServerId, 'bob-at-upstream');
    // One registration serves everybody.
    expect(dcrAs.registrations).toHaveLength(1);
    expect(dcrAs.registrations[0]).toMatchObject({ redirect_uris: [`${hub.url}/oauth/upstream/callback`], token_endpoint_auth_method: 'none' });
    expect(dcrAs.tokenRequests.filter((t) => t.grantType === 'authorization_code')).toEqual([
      { grantType: 'authorization_code', clientId: 'registered-1', basic: null, resource: dcrUpstream.url, hasVerifier: true },
      { grantType: 'authorization_code', clientId: 'registered-1', basic: null, resource: dcrUpstream.url, hasVerifier: true },
    ]);

    const [a, b] = await Promise.all([connect('alice'), connect('bob')]);
    agents.set('alice', a).set('bob', b);
    expect(await call(a, 'who_dcr')).toEqual({ subject: 'alice-at-upstream' });
    expect(await call(b, 'who_dcr')).toEqual({ subject: 'bob-at-upstream' });
    expect(await call(a, 'who_dcr')).toEqual({ subject: 'alice-at-upstream' });

    const state = await stateOf(alice, dcrServerId);
    expect(state).toMatchObject({ state: 'AUTHORIZED', scopes: ['mcp:tools'] });
    expect(new Date(state!.expiresAt!).getTime()).toBeGreaterThan(Date.now());
    // Audited as the person, without the tokens.
    const audit = await admin.data<{ auditLog: { nodes: { action: string; actorId: string; outcome: string; targetId: string }[] } }>(
      '{ auditLog(filter: { action: "upstreamAuthorizationCallback" }) { nodes { action actorId outcome targetId } } }',
    );
    expect(audit.auditLog.nodes).toEqual(
      expect.arrayContaining([{ action: 'upstreamAuthorizationCallback', actorId: alice.userId, outcome: 'SUCCESS', targetId: dcrServerId }]),
    );
  });

  it('refuses a callback whose state was already used: the flow is one-time', async () => {
    const { callback } = await authorize(carol, dcrServerId, 'carol-at-upstream');
    const again = await fetch(callback, { redirect: 'manual' });
    const landing = new URL(again.headers.get('location')!);
    expect(landing.searchParams.get('upstreamAuthorization')).toBe('failed');
    expect(landing.searchParams.get('message')).toMatch(/expired or was already used/);
  });

  it('tells a person who has not authorized a server to do so in the dashboard', async () => {
    // Bob authorizes the configured-client server and lists it; Alice has not authorized it.
    await authorize(bob, configuredServerId, 'bob-at-upstream');
    const b = await connect('bob');
    expect(await call(b, 'who_configured')).toEqual({ subject: 'bob-at-upstream' });
    const a = await connect('alice');
    const refused = await a.callTool({ name: 'who_configured', arguments: {} }).catch((e: { code: number; message: string }) => e);
    expect(refused).toMatchObject({ code: -32005, message: expect.stringContaining('Servers → configured-tools, and choose Authorize') });
  });

  it('uses the configured client (its secret as Basic credentials) and refreshes the token before it expires', async () => {
    const basic = configuredAs.tokenRequests.filter((t) => t.grantType === 'authorization_code');
    expect(basic).toEqual([{ grantType: 'authorization_code', clientId: null, basic: 'hub-client:hub-client-secret', resource: configuredUpstream.url, hasVerifier: true }]);
    expect(configuredAs.authorizeRequests.at(-1)!.get('scope')).toBe('mcp:tools offline_access');
    // Tokens issued from now on live 4 s: the hub must replace them before the upstream would refuse them.
    configuredAs.setTokenTtl(4);
    await authorize(bob, configuredServerId, 'bob-at-upstream');
    const b = await connect('bob');
    const refusedBefore = configuredUpstream.received.filter((r) => r.subject === null && r.headers.authorization).length;
    await waitFor(
      async () => (await call(b, 'who_configured')).subject === 'bob-at-upstream' && configuredAs.tokenRequests.filter((t) => t.grantType === 'refresh_token').length >= 2,
      20_000,
      'two refreshes',
    );
    expect(await call(b, 'who_configured')).toEqual({ subject: 'bob-at-upstream' });
    expect(configuredAs.tokenRequests.filter((t) => t.grantType === 'refresh_token').every((t) => t.basic === 'hub-client:hub-client-secret')).toBe(true);
    // No call ever went out with an expired token.
    expect(configuredUpstream.received.filter((r) => r.subject === null && r.headers.authorization).length).toBe(refusedBefore);
    configuredAs.setTokenTtl(3600);
  }, 30_000);

  it("revokes a person's authorization: the authorization server is told, their calls are refused, others' go on", async () => {
    expect((await alice.data<{ revokeUpstreamAuthorization: boolean }>(REVOKE, { s: dcrServerId })).revokeUpstreamAuthorization).toBe(true);
    expect(dcrAs.revocations.map((r) => r.get('token_type_hint'))).toEqual(['refresh_token', 'access_token']);
    expect(dcrAs.revocations.every((r) => r.get('client_id') === 'registered-1')).toBe(true);
    expect(await stateOf(alice, dcrServerId)).toEqual({ state: 'NOT_AUTHORIZED', expiresAt: null, scopes: [] });
    const a = agents.get('alice')!;
    const refused = await a.callTool({ name: 'who_dcr', arguments: {} }).catch((e: { code: number; message: string }) => e);
    expect(refused).toMatchObject({ code: -32005, message: expect.stringContaining('dcr-tools') });
    expect(await call(agents.get('bob')!, 'who_dcr')).toEqual({ subject: 'bob-at-upstream' });
    // Nothing left to revoke.
    expect((await alice.data<{ revokeUpstreamAuthorization: boolean }>(REVOKE, { s: dcrServerId })).revokeUpstreamAuthorization).toBe(false);
  });

  it("never forwards an agent's API key (or a configured Authorization header) upstream: only the person's token", async () => {
    const all = [...dcrUpstream.received, ...configuredUpstream.received];
    expect(all.length).toBeGreaterThan(5);
    const values = all.flatMap((r) => Object.values(r.headers).flat().map(String));
    for (const key of keys.values()) expect(values.some((v) => v.includes(key))).toBe(false);
    // Agents' calls carry the person's token alone (health probes without a live connection use the configuration as is).
    const calls = all.filter((r) => r.subject);
    expect(calls.some((r) => JSON.stringify(r.headers).includes('configured-static-token'))).toBe(false);
    for (const r of calls) expect(r.headers.authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it('keeps tokens, verifiers and client secrets sealed at rest, where key rotation and backups find them', async () => {
    const sealed = hub.app.get(SealedColumnRegistry).all().map((c) => `${c.table}.${c.column}`);
    expect(sealed).toEqual(
      expect.arrayContaining([
        'server_oauth_settings.client_secret',
        'upstream_oauth_clients.client_secret',
        'upstream_authorizations.access_token',
        'upstream_authorizations.refresh_token',
        'upstream_authorization_requests.code_verifier',
      ]),
    );
    const rows = await hub.app.get(DataSource).query(`SELECT access_token, refresh_token FROM upstream_authorizations`);
    const sent = configuredUpstream.received.filter((r) => r.subject).map((r) => String(r.headers.authorization).slice(7));
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows as { access_token: string }[]) for (const token of sent) expect(row.access_token).not.toContain(token.slice(0, 40));
    const [setting] = await hub.app.get(DataSource).query(`SELECT client_secret FROM server_oauth_settings WHERE client_id = 'hub-client'`);
    expect(setting.client_secret).not.toContain('hub-client-secret');
    // The audit trail says the secret changed, never what it is.
    const audit = await admin.data('{ auditLog(filter: { action: "setServerOAuth" }) { nodes { changes { entity fields { name newValue secret } } } } }');
    expect(JSON.stringify(audit)).toContain('clientSecret');
    expect(JSON.stringify(audit)).not.toContain('hub-client-secret');
  });

  it("turns OAuth off: everybody's authorizations of the server are forgotten", async () => {
    const { setServerOAuth } = await admin.data<{ setServerOAuth: { oauth: unknown } }>(SET_OAUTH, { s: configuredServerId, i: { enabled: false } });
    expect(setServerOAuth.oauth).toBeNull();
    expect(await stateOf(bob, configuredServerId)).toBeNull();
    const rows = await hub.app.get(DataSource).query(`SELECT id FROM upstream_authorizations WHERE server_id = $1`, [configuredServerId]);
    expect(rows).toEqual([]);
  });

  itOnce("renews a token the server refuses before its expiry, once, and sends the call again: the agent sees nothing", async () => {
    const bobAgent = agents.get('bob')!;
    expect(await call(bobAgent, 'who_dcr')).toEqual({ subject: 'bob-at-upstream' });
    const refreshes = () => dcrAs.tokenRequests.filter((t) => t.grantType === 'refresh_token').length;
    const refusals = () => dcrUpstream.received.filter((r) => r.subject === null && String(r.headers.authorization).startsWith('Bearer ey')).length;
    const [refreshedBefore, refusedBefore] = [refreshes(), refusals()];
    // Bob's access token is still hours from its expiry; the authorization server no longer honours it.
    dcrAs.invalidateAccessTokens('bob-at-upstream');
    expect(await call(bobAgent, 'who_dcr')).toEqual({ subject: 'bob-at-upstream' });
    expect(refreshes()).toBe(refreshedBefore + 1);
    expect(refusals()).toBe(refusedBefore + 1);
    expect(await stateOf(bob, dcrServerId)).toMatchObject({ state: 'AUTHORIZED' });
    // Refused as a connection starts (Carol authorized earlier, her agent connects only now): the same, once.
    dcrAs.invalidateAccessTokens('carol-at-upstream');
    expect(await call(await connect('carol'), 'who_dcr')).toEqual({ subject: 'carol-at-upstream' });
    expect(refreshes()).toBe(refreshedBefore + 2);
  });

  itOnce('tells the person to authorize again when the authorization server revoked their grant, and the dashboard shows it', async () => {
    const bobAgent = agents.get('bob')!;
    dcrAs.revokeAll('bob-at-upstream');
    const refused = await bobAgent.callTool({ name: 'who_dcr', arguments: {} }).catch((e: { code: number; message: string }) => e);
    expect(refused).toMatchObject({ code: -32005, message: expect.stringMatching(/Server "dcr-tools" needs your authorization again.*Servers → dcr-tools, and choose Authorize/) });
    // The refresh was tried (and refused), the grant kept but marked: Bob's server page says it has expired.
    expect(dcrAs.tokenRequests.at(-1)).toMatchObject({ grantType: 'refresh_token' });
    expect(await stateOf(bob, dcrServerId)).toMatchObject({ state: 'EXPIRED' });
    // Nothing more goes upstream with the refused token; the answer stays the same until Bob authorizes again.
    const sent = dcrUpstream.received.length;
    expect(await bobAgent.callTool({ name: 'who_dcr', arguments: {} }).catch((e: { code: number }) => e.code)).toBe(-32005);
    expect(dcrUpstream.received.length).toBe(sent);
    await authorize(bob, dcrServerId, 'bob-at-upstream');
    expect(await call(bobAgent, 'who_dcr')).toEqual({ subject: 'bob-at-upstream' });

    // A grant without a refresh token: refused means authorize again at once, nothing to try first.
    dcrAs.setRefreshTokens(false);
    await authorize(carol, dcrServerId, 'carol-at-upstream');
    dcrAs.setRefreshTokens(true);
    const carolAgent = await connect('carol');
    expect(await call(carolAgent, 'who_dcr')).toEqual({ subject: 'carol-at-upstream' });
    const refreshes = dcrAs.tokenRequests.filter((t) => t.grantType === 'refresh_token').length;
    dcrAs.invalidateAccessTokens('carol-at-upstream');
    const carolRefused = await carolAgent.callTool({ name: 'who_dcr', arguments: {} }).catch((e: { code: number; message: string }) => e);
    expect(carolRefused).toMatchObject({ code: -32005, message: expect.stringContaining('Server "dcr-tools" needs your authorization again (it refused your access)') });
    expect(dcrAs.tokenRequests.filter((t) => t.grantType === 'refresh_token').length).toBe(refreshes);
    expect(await stateOf(carol, dcrServerId)).toMatchObject({ state: 'EXPIRED' });
  });
});

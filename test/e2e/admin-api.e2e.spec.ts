import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { parseApiKey } from '#keys';
import { databaseTargets } from '../support/database-targets.js';
import { GraphQLClient, errorCode } from '../support/graphql-client.js';
import { startHub, type RunningHub } from '../support/hub-app.js';

const ADMIN = { email: 'admin@example.com', password: 'admin-password-123' };
const KEY_FIELDS = 'id name prefix groupIds expiresAt revokedAt perMinute perDay lastUsedAt userId';

describe.each(databaseTargets.map((t) => [t.name, t] as const))('GraphQL admin API on %s', (_name, target) => {
  let hub: RunningHub;
  let admin: GraphQLClient;
  let db: DataSource;

  const count = async (table: string) => Number((await db.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n);

  beforeAll(async () => {
    hub = await startHub(target, { LOGIN_MAX_FAILURES: '3' });
    db = hub.app.get(DataSource);
    admin = new GraphQLClient(hub.url);
    await admin.login(ADMIN.email, ADMIN.password);
  });
  afterAll(() => hub?.close());

  describe('health', () => {
    it('should answer live and ready when the database is up', async () => {
      expect((await fetch(`${hub.url}/health/live`)).status).toBe(200);
      const ready = await fetch(`${hub.url}/health/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'ok', checks: { database: 'ok' } });
    });

    it('should answer every request with a correlation id, keeping a well-formed one the caller sent', async () => {
      const made = (await fetch(`${hub.url}/health/live`)).headers.get('x-request-id');
      expect(made).toMatch(/^[0-9a-f-]{36}$/);
      const kept = await fetch(`${hub.url}/graphql`, { method: 'POST', headers: { 'x-request-id': 'trace-abc-123', 'content-type': 'application/json' }, body: '{"query":"{__typename}"}' });
      expect(kept.headers.get('x-request-id')).toBe('trace-abc-123');
      const refused = await fetch(`${hub.url}/health/live`, { headers: { 'x-request-id': 'bad id\twith junk' } });
      expect(refused.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    });
  });

  describe('sign-in', () => {
    it('should return the bootstrap admin with an access and refresh token', async () => {
      const client = new GraphQLClient(hub.url);
      const res = await client.data<{ login: { accessToken: string; refreshToken: string; user: { email: string; role: string } } }>(
        'mutation{ login(email:"ADMIN@example.com", password:"admin-password-123"){ accessToken refreshToken user { id email role } } }',
      );
      expect(res.login.user).toMatchObject({ email: ADMIN.email, role: 'ADMIN' });
      client.token = res.login.accessToken;
      expect((await client.data<{ me: { email: string } }>('{ me { email } }')).me.email).toBe(ADMIN.email);
      const refreshed = await client.data<{ refreshToken: { accessToken: string } }>(
        'mutation($t:String!){ refreshToken(refreshToken:$t){ accessToken } }',
        { t: res.login.refreshToken },
      );
      expect(refreshed.refreshToken.accessToken).toEqual(expect.any(String));
    });

    it('should answer a wrong password and an unknown email identically', async () => {
      const client = new GraphQLClient(hub.url);
      const wrong = await client.request('mutation{ login(email:"admin@example.com", password:"nope-nope-nope"){ accessToken } }');
      const unknown = await client.request('mutation{ login(email:"ghost@example.com", password:"nope-nope-nope"){ accessToken } }');
      expect(errorCode(wrong)).toBe('UNAUTHENTICATED');
      expect(wrong.errors?.[0].message).toBe(unknown.errors?.[0].message);
      expect(errorCode(unknown)).toBe('UNAUTHENTICATED');
    });

    it('should rate-limit repeated failures for one account and IP, even with the right password', async () => {
      await admin.data('mutation{ createUser(input:{email:"victim@example.com", password:"victim-password-1"}){ id } }');
      const client = new GraphQLClient(hub.url);
      for (let i = 0; i < 3; i++) {
        const res = await client.request('mutation{ login(email:"victim@example.com", password:"wrong-password-x"){ accessToken } }');
        expect(errorCode(res)).toBe('UNAUTHENTICATED');
      }
      const blocked = await client.request('mutation{ login(email:"victim@example.com", password:"victim-password-1"){ accessToken } }');
      expect(errorCode(blocked)).toBe('RATE_LIMITED');
      expect(blocked.errors?.[0].extensions?.retryAfterSeconds).toEqual(expect.any(Number));
    });

    it('should refuse requests without a token or with a forged one', async () => {
      const anonymous = new GraphQLClient(hub.url);
      expect(errorCode(await anonymous.request('{ me { id } }'))).toBe('UNAUTHENTICATED');
      const forged = new GraphQLClient(hub.url, 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl');
      expect(errorCode(await forged.request('{ me { id } }'))).toBe('UNAUTHENTICATED');
    });
  });

  describe('users (admin)', () => {
    it('should create, list, update and disable users', async () => {
      const { createUser } = await admin.data<{ createUser: { id: string; role: string } }>(
        'mutation{ createUser(input:{email:"Member@Example.com", password:"member-password-1", displayName:"M"}){ id email role } }',
      );
      expect(createUser.role).toBe('MEMBER');
      const { users } = await admin.data<{ users: { email: string }[] }>('{ users(first: 100) { email } }');
      expect(users.map((u) => u.email)).toContain('member@example.com');
      const { updateUser } = await admin.data<{ updateUser: { displayName: string } }>(
        'mutation($id:ID!){ updateUser(id:$id, input:{displayName:"Renamed"}){ displayName } }',
        { id: createUser.id },
      );
      expect(updateUser.displayName).toBe('Renamed');
      await admin.data('mutation($id:ID!){ disableUser(id:$id){ disabled } }', { id: createUser.id });
      const login = await new GraphQLClient(hub.url).request(
        'mutation{ login(email:"member@example.com", password:"member-password-1"){ accessToken } }',
      );
      expect(errorCode(login)).toBe('UNAUTHENTICATED');
    });

    it.each([
      ['a bad email', '{email:"not-an-email", password:"long-enough-pass"}', 'input.email'],
      ['a short password', '{email:"short@example.com", password:"short"}', 'input.password'],
      ['a duplicate email', '{email:"admin@example.com", password:"long-enough-pass"}', 'input.email'],
    ])('should reject %s with the field named and create nothing', async (_case, input, field) => {
      const before = await count('users');
      const res = await admin.request(`mutation{ createUser(input:${input}){ id } }`);
      expect(['BAD_USER_INPUT', 'CONFLICT']).toContain(errorCode(res));
      expect(res.errors?.[0].message).toContain(field);
      expect(await count('users')).toBe(before);
    });

    it('should reject bad updateUser and disableUser input and change nothing', async () => {
      const bad = await admin.request('mutation{ updateUser(id:"not-a-uuid", input:{displayName:"x"}){ id } }');
      expect(errorCode(bad)).toBe('BAD_USER_INPUT');
      expect(bad.errors?.[0].message).toContain('id');
      const missing = await admin.request('mutation{ disableUser(id:"00000000-0000-4000-8000-000000000000"){ id } }');
      expect(errorCode(missing)).toBe('NOT_FOUND');
      const { me } = await admin.data<{ me: { id: string } }>('{ me { id } }');
      const lastAdmin = await admin.request('mutation($id:ID!){ disableUser(id:$id){ id } }', { id: me.id });
      expect(errorCode(lastAdmin)).toBe('CONFLICT');
      const demote = await admin.request('mutation($id:ID!){ updateUser(id:$id, input:{role: MEMBER}){ id } }', { id: me.id });
      expect(errorCode(demote)).toBe('CONFLICT');
      const [row] = await db.query('SELECT role, disabled FROM users WHERE id = $1', [me.id]);
      expect(row).toEqual({ role: 'ADMIN', disabled: false });
      const page = await admin.request('{ users(first: 101) { id } }');
      expect(errorCode(page)).toBe('BAD_USER_INPUT');
      expect(page.errors?.[0].message).toContain('first');
    });

    it('should list users by email a page at a time, with filters, for admins', async () => {
      for (const name of ['page-c', 'page-a', 'page-b']) {
        await admin.data('mutation($i: CreateUserInput!){ createUser(input: $i){ id } }', {
          i: { email: `${name}@example.com`, password: 'page-password-123', displayName: name === 'page-b' ? 'Bee 50%' : null },
        });
      }
      type Page = { userList: { nodes: { email: string }[]; endCursor: string | null; hasNextPage: boolean } };
      const query = 'query($f: UserFilter, $first: Int, $after: String){ userList(filter: $f, first: $first, after: $after){ nodes { email } endCursor hasNextPage } }';
      const first = await admin.data<Page>(query, { f: { search: 'PAGE-' }, first: 2 });
      expect(first.userList.nodes.map((u) => u.email)).toEqual(['page-a@example.com', 'page-b@example.com']);
      expect(first.userList.hasNextPage).toBe(true);
      const second = await admin.data<Page>(query, { f: { search: 'page-' }, first: 2, after: first.userList.endCursor });
      expect(second.userList).toMatchObject({ nodes: [{ email: 'page-c@example.com' }], hasNextPage: false });

      // The display name is searched too, and LIKE wildcards in the search are plain characters.
      expect((await admin.data<Page>(query, { f: { search: 'bee 50%' } })).userList.nodes.map((u) => u.email)).toEqual(['page-b@example.com']);
      expect((await admin.data<Page>(query, { f: { search: '%' } })).userList.nodes.map((u) => u.email)).toEqual(['page-b@example.com']);
      expect((await admin.data<Page>(query, { f: { search: '_' } })).userList.nodes).toEqual([]);

      const { userList: admins } = await admin.data<Page>(query, { f: { role: 'ADMIN' } });
      expect(admins.nodes.map((u) => u.email)).toEqual([ADMIN.email]);
      const { userList: disabled } = await admin.data<Page>(query, { f: { disabled: true, search: 'page-' } });
      expect(disabled.nodes).toEqual([]);

      const badCursor = await admin.request(query, { after: 'not-a-cursor' });
      expect(errorCode(badCursor)).toBe('BAD_USER_INPUT');
      expect(badCursor.errors?.[0].extensions?.field).toBe('after');
      expect(errorCode(await admin.request(query, { first: 101 }))).toBe('BAD_USER_INPUT');
    });

    it('should keep one enabled admin when two admins disable each other at once', async () => {
      const { createUser } = await admin.data<{ createUser: { id: string } }>(
        'mutation{ createUser(input:{email:"second-admin@example.com", password:"second-admin-pass-1", role: ADMIN}){ id } }',
      );
      const second = new GraphQLClient(hub.url);
      await second.login('second-admin@example.com', 'second-admin-pass-1');
      const { me } = await admin.data<{ me: { id: string } }>('{ me { id } }');
      const disable = 'mutation($id: ID!){ disableUser(id: $id){ id } }';
      const [byFirst, bySecond] = await Promise.all([admin.request(disable, { id: createUser.id }), second.request(disable, { id: me.id })]);
      // One wins; the other is refused as the last admin, or finds its own session already ended.
      expect([errorCode(byFirst), errorCode(bySecond)].filter((code) => code === undefined)).toHaveLength(1);
      const [{ n }] = await db.query("SELECT count(*)::int AS n FROM users WHERE role = 'ADMIN' AND disabled = false");
      expect(n).toBe(1);
      if (errorCode(bySecond) === undefined) {
        await second.data('mutation($id: ID!){ updateUser(id: $id, input: { disabled: false }){ id } }', { id: me.id });
        await admin.login(ADMIN.email, ADMIN.password);
      }
    });

    it('should forbid admin operations to members', async () => {
      await admin.data('mutation{ createUser(input:{email:"plain@example.com", password:"plain-password-1"}){ id } }');
      const member = new GraphQLClient(hub.url);
      await member.login('plain@example.com', 'plain-password-1');
      expect(errorCode(await member.request('{ users { id } }'))).toBe('FORBIDDEN');
      expect(errorCode(await member.request('mutation{ createUser(input:{email:"x@example.com", password:"xxxxxxxxxxxxxx"}){ id } }'))).toBe('FORBIDDEN');
    });
  });

  describe('API keys', () => {
    it('should show the secret once and store only its hash', async () => {
      const { createApiKey } = await admin.data<{ createApiKey: { secret: string; apiKey: { id: string; prefix: string; perMinute: number } } }>(
        `mutation{ createApiKey(input:{name:"cursor", perMinute: 60, perDay: 1000, expiresAt:"2099-01-01T00:00:00Z"}){ secret apiKey { ${KEY_FIELDS} } } }`,
      );
      const { secret, apiKey } = createApiKey;
      expect(parseApiKey(secret)).not.toBeNull();
      expect(secret.startsWith(`${apiKey.prefix}_`)).toBe(true);
      expect(apiKey.perMinute).toBe(60);

      const [row] = await db.query('SELECT row_to_json(k)::text AS json, encode(secret_hash, $2) AS hash FROM api_keys k WHERE id = $1', [apiKey.id, 'hex']);
      expect(row.json).not.toContain(secret);
      expect(row.json).not.toContain(secret.split('_')[2]);
      expect(row.hash).toHaveLength(64);

      const { apiKeys } = await admin.data<{ apiKeys: { nodes: Record<string, unknown>[] } }>(`{ apiKeys { nodes { ${KEY_FIELDS} } } }`);
      expect(JSON.stringify(apiKeys)).not.toContain(secret.split('_')[2]);
      const noSecretField = await admin.request('{ apiKeys { nodes { secret } } }');
      expect(errorCode(noSecretField)).toBe('GRAPHQL_VALIDATION_FAILED');
    });

    it.each([
      ['an empty name', '{name:"  "}', 'input.name'],
      ['a past expiry', '{name:"k", expiresAt:"2001-01-01T00:00:00Z"}', 'input.expiresAt'],
      ['a zero quota', '{name:"k", perMinute: 0}', 'input.perMinute'],
      ['a negative daily quota', '{name:"k", perDay: -5}', 'input.perDay'],
      ['a bad group id', '{name:"k", groupIds:["nope"]}', 'input.groupIds.0'],
    ])('should reject %s with the field named and create nothing', async (_case, input, field) => {
      const before = await count('api_keys');
      const res = await admin.request(`mutation{ createApiKey(input:${input}){ secret } }`);
      expect(errorCode(res)).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0].message).toContain(field);
      expect(await count('api_keys')).toBe(before);
    });

    it("should let members manage only their own keys and admins revoke anyone's", async () => {
      await admin.data('mutation{ createUser(input:{email:"owner@example.com", password:"owner-password-1"}){ id } }');
      const owner = new GraphQLClient(hub.url);
      await owner.login('owner@example.com', 'owner-password-1');
      const mine = await owner.data<{ createApiKey: { apiKey: { id: string } } }>('mutation{ createApiKey(input:{name:"mine"}){ apiKey { id } } }');
      const adminKey = await admin.data<{ createApiKey: { apiKey: { id: string } } }>('mutation{ createApiKey(input:{name:"admins"}){ apiKey { id } } }');

      const listed = await owner.data<{ apiKeys: { nodes: { id: string }[] } }>('{ apiKeys { nodes { id } } }');
      expect(listed.apiKeys.nodes.map((k) => k.id)).toEqual([mine.createApiKey.apiKey.id]);
      const steal = await owner.request('mutation($id:ID!){ revokeApiKey(id:$id){ id } }', { id: adminKey.createApiKey.apiKey.id });
      expect(errorCode(steal)).toBe('NOT_FOUND');
      const [adminRow] = await db.query('SELECT revoked_at FROM api_keys WHERE id = $1', [adminKey.createApiKey.apiKey.id]);
      expect(adminRow.revoked_at).toBeNull();

      const revoked = await admin.data<{ revokeApiKey: { revokedAt: string } }>('mutation($id:ID!){ revokeApiKey(id:$id){ revokedAt } }', {
        id: mine.createApiKey.apiKey.id,
      });
      expect(revoked.revokeApiKey.revokedAt).toEqual(expect.any(String));
      const all = await admin.data<{ apiKeys: { nodes: { id: string }[] } }>('{ apiKeys(first: 100) { nodes { id } } }');
      expect(all.apiKeys.nodes.map((k) => k.id)).toEqual(expect.arrayContaining([mine.createApiKey.apiKey.id, adminKey.createApiKey.apiKey.id]));
      const badRevoke = await admin.request('mutation{ revokeApiKey(id:"zzz"){ id } }');
      expect(errorCode(badRevoke)).toBe('BAD_USER_INPUT');
    });
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { JobName, JobsService } from '#core';
import { AuthMethod, LoginService, User } from '#users';
import { GraphQLClient, errorCode, type GraphQLResponse } from '../support/graphql-client.js';
import { startHub, type RunningHub } from '../support/hub-app.js';
import { hubTargetRows } from '../support/hub-targets.js';
import { waitFor } from '../support/upstreams.js';
import { startWorker } from '../support/worker-app.js';

const ADMIN = { email: 'admin@example.com', password: 'admin-password-123' };
const PASSWORD = 'member-password-1';
const NEW_PASSWORD = 'brand-new-password-2';
const MAX_FAILURES = 3;
// Sign-in failure counters live in Redis beyond one run: accounts that collect failures are new each run.
const RUN = randomBytes(3).toString('hex');

interface SignedIn {
  client: GraphQLClient;
  refreshToken: string;
  sessionId: string;
}
type Pair = { accessToken: string; refreshToken: string };

describe.each(hubTargetRows)('sign-in sessions on %s', (_name, target) => {
  let hub: RunningHub;
  let db: DataSource;
  let admin: GraphQLClient;
  let worker: INestApplicationContext | undefined;
  const anonymous = () => new GraphQLClient(hub.url);

  /** Signs in over real HTTP with a recognisable user agent; returns the client and the session it got. */
  const signIn = async (email: string, password = PASSWORD, userAgent = 'sessions-e2e', headers: Record<string, string> = {}): Promise<SignedIn> => {
    const res = await fetch(`${hub.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': userAgent, ...headers },
      body: JSON.stringify({ query: 'mutation($e:String!,$p:String!){ login(email:$e,password:$p){ accessToken refreshToken } }', variables: { e: email, p: password } }),
    });
    const body = (await res.json()) as GraphQLResponse<{ login: Pair }>;
    if (!body.data?.login) throw new Error(`sign-in failed: ${JSON.stringify(body.errors)}`);
    const client = new GraphQLClient(hub.url, body.data.login.accessToken);
    return { client, refreshToken: body.data.login.refreshToken, sessionId: await currentSessionId(client) };
  };
  const currentSessionId = async (client: GraphQLClient) =>
    (await client.data<{ mySessions: { id: string; current: boolean }[] }>('{ mySessions { id current } }')).mySessions.find((s) => s.current)!.id;
  const refresh = (refreshToken: string) =>
    anonymous().request<{ refreshToken: Pair }>('mutation($t:String!){ refreshToken(refreshToken:$t){ accessToken refreshToken } }', { t: refreshToken });
  const me = (client: GraphQLClient) => client.request<{ me: { id: string } }>('{ me { id } }');
  const createMember = async (email: string) =>
    (await admin.data<{ createUser: { id: string } }>('mutation($i: CreateUserInput!){ createUser(input: $i){ id } }', { i: { email, password: PASSWORD } })).createUser.id;
  const sessionRow = async (id: string) =>
    ((await db.query('SELECT revoked_at, last_used_at, expires_at FROM sign_in_sessions WHERE id = $1', [id])) as { revoked_at: Date | null; last_used_at: Date; expires_at: Date }[])[0];
  const passwordHash = async (userId: string) => ((await db.query('SELECT password_hash FROM users WHERE id = $1', [userId])) as { password_hash: string | null }[])[0].password_hash;
  const changePassword = (client: GraphQLClient, variables: { current?: string | null; next: string }) =>
    client.request<{ changePassword: boolean }>('mutation($c: String, $n: String!){ changePassword(currentPassword: $c, newPassword: $n) }', {
      c: variables.current ?? null,
      n: variables.next,
    });
  const expectSignedOut = async (session: SignedIn) => {
    expect(errorCode(await me(session.client))).toBe('UNAUTHENTICATED');
    expect(errorCode(await refresh(session.refreshToken))).toBe('UNAUTHENTICATED');
  };
  const expectSignedIn = async (session: SignedIn) => {
    expect((await me(session.client)).errors).toBeUndefined();
  };

  beforeAll(async () => {
    hub = await startHub(target.database, { ...target.env, LOGIN_MAX_FAILURES: String(MAX_FAILURES) });
    db = hub.app.get(DataSource);
    admin = new GraphQLClient(hub.url);
    await admin.login(ADMIN.email, ADMIN.password);
  });
  afterAll(async () => {
    await worker?.close();
    await hub?.close();
  });

  describe('sign-in and refresh', () => {
    it('should record the address a trusted proxy forwarded, and not one a client wrote before it', async () => {
      await createMember('proxied@example.com');
      // This spec's requests come from loopback, a trusted proxy (TRUST_PROXY's default): its X-Forwarded-For
      // counts. The entry before it came from the client, which nobody trusts: a client cannot choose its address.
      const proxied = await signIn('proxied@example.com', PASSWORD, 'Proxied/1.0', { 'x-forwarded-for': '198.51.100.7, 203.0.113.9' });
      const { mySessions } = await proxied.client.data<{ mySessions: { ip: string; current: boolean }[] }>('{ mySessions { ip current } }');
      expect(mySessions.find((s) => s.current)?.ip).toBe('203.0.113.9');
    });


    it('should record the sign-in as a session of its user, shown as current with method, address and user agent', async () => {
      await createMember('list@example.com');
      const phone = await signIn('list@example.com', PASSWORD, 'Phone/1.0');
      const laptop = await signIn('list@example.com', PASSWORD, 'Laptop/2.0');
      const { mySessions } = await laptop.client.data<{ mySessions: Record<string, unknown>[] }>(
        '{ mySessions { id method ip userAgent createdAt lastUsedAt expiresAt current } }',
      );
      expect(mySessions).toHaveLength(2);
      expect(mySessions).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ id: laptop.sessionId, method: 'PASSWORD', ip: expect.stringContaining('127.0.0.1'), userAgent: 'Laptop/2.0', current: true }),
          expect.objectContaining({ id: phone.sessionId, userAgent: 'Phone/1.0', current: false }),
        ]),
      );
      const [stored] = await db.query('SELECT refresh_token_hash FROM sign_in_sessions WHERE id = $1', [phone.sessionId]);
      // Only a hash is kept: 32 bytes, not the token.
      expect(stored.refresh_token_hash).toHaveLength(32);
      expect(stored.refresh_token_hash.toString('utf8')).not.toContain(phone.refreshToken.slice(0, 20));
    });

    it('should rotate the refresh token: the new one works, keeps the session and moves its last use', async () => {
      await createMember('rotate@example.com');
      const session = await signIn('rotate@example.com');
      const before = await sessionRow(session.sessionId);
      const first = (await refresh(session.refreshToken)).data!.refreshToken;
      expect(first.refreshToken).not.toBe(session.refreshToken);
      const second = (await refresh(first.refreshToken)).data!.refreshToken;
      expect(second.refreshToken).not.toBe(first.refreshToken);
      const client = new GraphQLClient(hub.url, second.accessToken);
      expect(await currentSessionId(client)).toBe(session.sessionId);
      const after = await sessionRow(session.sessionId);
      expect(after.revoked_at).toBeNull();
      expect(after.last_used_at.getTime()).toBeGreaterThanOrEqual(before.last_used_at.getTime());
      expect(after.expires_at.getTime()).toBeGreaterThanOrEqual(before.expires_at.getTime());
    });

    it('should treat a second use of a refresh token as theft: refuse it and end the whole session, other sessions unharmed', async () => {
      await createMember('theft@example.com');
      const victim = await signIn('theft@example.com');
      const otherDevice = await signIn('theft@example.com');
      // The legitimate client rotates; a copy of the old token is then replayed.
      const rotated = (await refresh(victim.refreshToken)).data!.refreshToken;
      const replay = await refresh(victim.refreshToken);
      expect(errorCode(replay)).toBe('UNAUTHENTICATED');
      expect(replay.errors?.[0].message).toMatch(/already used/);
      // Everything issued for that session is dead now: the rotated pair as well as the first access token.
      expect(errorCode(await refresh(rotated.refreshToken))).toBe('UNAUTHENTICATED');
      expect(errorCode(await me(new GraphQLClient(hub.url, rotated.accessToken)))).toBe('UNAUTHENTICATED');
      expect(errorCode(await me(victim.client))).toBe('UNAUTHENTICATED');
      expect((await sessionRow(victim.sessionId)).revoked_at).not.toBeNull();
      await expectSignedIn(otherDevice);
    });

    it('should refuse an access token used as a refresh token and the reverse', async () => {
      await createMember('types@example.com');
      const session = await signIn('types@example.com');
      expect(errorCode(await refresh(session.client.token!))).toBe('UNAUTHENTICATED');
      expect(errorCode(await me(new GraphQLClient(hub.url, session.refreshToken)))).toBe('UNAUTHENTICATED');
      await expectSignedIn(session);
    });
  });

  describe('revoking own sessions', () => {
    it('should end a revoked session at once: its access token and its refresh token are refused', async () => {
      await createMember('revoke@example.com');
      const keep = await signIn('revoke@example.com');
      const lost = await signIn('revoke@example.com');
      await expectSignedIn(lost);
      expect(await keep.client.data('mutation($id: ID!){ revokeSession(id: $id) }', { id: lost.sessionId })).toEqual({ revokeSession: true });
      await expectSignedOut(lost);
      await expectSignedIn(keep);
      const { mySessions } = await keep.client.data<{ mySessions: { id: string }[] }>('{ mySessions { id } }');
      expect(mySessions.map((s) => s.id)).toEqual([keep.sessionId]);
    });

    it("should answer NOT_FOUND for another user's session id and leave that session alone", async () => {
      await createMember('owner@example.com');
      await createMember('intruder@example.com');
      const owner = await signIn('owner@example.com');
      const intruder = await signIn('intruder@example.com');
      const res = await intruder.client.request('mutation($id: ID!){ revokeSession(id: $id) }', { id: owner.sessionId });
      expect(errorCode(res)).toBe('NOT_FOUND');
      expect(res.errors?.[0].message).toContain(owner.sessionId);
      await expectSignedIn(owner);
      expect((await sessionRow(owner.sessionId)).revoked_at).toBeNull();
      const { mySessions } = await intruder.client.data<{ mySessions: { id: string }[] }>('{ mySessions { id } }');
      expect(mySessions.map((s) => s.id)).toEqual([intruder.sessionId]);
      // An admin is no exception for this self-service operation.
      expect(errorCode(await admin.request('mutation($id: ID!){ revokeSession(id: $id) }', { id: owner.sessionId }))).toBe('NOT_FOUND');
      expect(errorCode(await intruder.client.request('mutation{ revokeSession(id: "00000000-0000-4000-8000-000000000000") }'))).toBe('NOT_FOUND');
      const bad = await intruder.client.request('mutation{ revokeSession(id: "nope") }');
      expect(errorCode(bad)).toBe('BAD_USER_INPUT');
      expect(bad.errors?.[0].message).toContain('id');
    });

    it('should end every other session with revokeOtherSessions and keep this one', async () => {
      await createMember('others@example.com');
      const here = await signIn('others@example.com');
      const a = await signIn('others@example.com');
      const b = await signIn('others@example.com');
      expect(await here.client.data('mutation{ revokeOtherSessions }')).toEqual({ revokeOtherSessions: 2 });
      await expectSignedOut(a);
      await expectSignedOut(b);
      await expectSignedIn(here);
    });

    it('should end the current session with signOut', async () => {
      await createMember('signout@example.com');
      const session = await signIn('signout@example.com');
      const other = await signIn('signout@example.com');
      expect(await session.client.data('mutation{ signOut }')).toEqual({ signOut: true });
      await expectSignedOut(session);
      await expectSignedIn(other);
    });
  });

  describe('changePassword', () => {
    it('should refuse a wrong current password with a clear error and change nothing', async () => {
      const userId = await createMember(`wrongcurrent-${RUN}@example.com`);
      const session = await signIn(`wrongcurrent-${RUN}@example.com`);
      const other = await signIn(`wrongcurrent-${RUN}@example.com`);
      const hashBefore = await passwordHash(userId);
      const wrong = await changePassword(session.client, { current: 'not-my-password', next: NEW_PASSWORD });
      expect(errorCode(wrong)).toBe('BAD_USER_INPUT');
      expect(wrong.errors?.[0].message).toBe('currentPassword: is not your current password');
      const missing = await changePassword(session.client, { next: NEW_PASSWORD });
      expect(errorCode(missing)).toBe('BAD_USER_INPUT');
      expect(missing.errors?.[0].message).toContain('currentPassword');
      const weak = await changePassword(session.client, { current: PASSWORD, next: 'short' });
      expect(errorCode(weak)).toBe('BAD_USER_INPUT');
      expect(weak.errors?.[0].message).toBe('newPassword: must be at least 12 characters');
      const same = await changePassword(session.client, { current: PASSWORD, next: PASSWORD });
      expect(same.errors?.[0].message).toBe('newPassword: must differ from your current password');
      expect(await passwordHash(userId)).toBe(hashBefore);
      await expectSignedIn(other);
      await signIn(`wrongcurrent-${RUN}@example.com`, PASSWORD);
    });

    it('should change the password and end the other sessions, keeping this one', async () => {
      const userId = await createMember('change@example.com');
      const session = await signIn('change@example.com');
      const other = await signIn('change@example.com');
      expect(await changePassword(session.client, { current: PASSWORD, next: NEW_PASSWORD })).toEqual({ data: { changePassword: true } });
      await expectSignedOut(other);
      await expectSignedIn(session);
      expect((await refresh(session.refreshToken)).errors).toBeUndefined();
      expect(errorCode(await anonymous().request('mutation{ login(email:"change@example.com", password:"member-password-1"){ accessToken } }'))).toBe('UNAUTHENTICATED');
      await signIn('change@example.com', NEW_PASSWORD);
      expect(await passwordHash(userId)).toMatch(/^scrypt\$/);
    });

    it('should count wrong current passwords against the sign-in throttle', async () => {
      const userId = await createMember(`throttled-${RUN}@example.com`);
      const session = await signIn(`throttled-${RUN}@example.com`);
      const hashBefore = await passwordHash(userId);
      for (let i = 0; i < MAX_FAILURES; i++) {
        expect(errorCode(await changePassword(session.client, { current: 'guess-number-' + i, next: NEW_PASSWORD }))).toBe('BAD_USER_INPUT');
      }
      // Even the right password is refused now, and sign-in shares the counter.
      const blocked = await changePassword(session.client, { current: PASSWORD, next: NEW_PASSWORD });
      expect(errorCode(blocked)).toBe('RATE_LIMITED');
      expect(blocked.errors?.[0].extensions?.retryAfterSeconds).toEqual(expect.any(Number));
      expect(errorCode(await anonymous().request(`mutation{ login(email:"throttled-${RUN}@example.com", password:"member-password-1"){ accessToken } }`))).toBe('RATE_LIMITED');
      expect(await passwordHash(userId)).toBe(hashBefore);
    });

    it('should let an account without a password (SSO) set one without a current password', async () => {
      const userId = await createMember('sso@example.com');
      await db.query('UPDATE users SET password_hash = NULL WHERE id = $1', [userId]);
      const user = (await db.getRepository(User).findOneByOrFail({ id: userId })) as User;
      // What the GitHub / Azure AD callback does once the provider vouched for the person.
      const login = hub.app.get(LoginService);
      const sso = await login.startSession(user, { method: AuthMethod.GITHUB, ip: '127.0.0.1', userAgent: 'sso-browser' });
      const other = await login.startSession(user, { method: AuthMethod.AZURE_AD });
      const client = new GraphQLClient(hub.url, sso.accessToken);
      const { mySessions } = await client.data<{ mySessions: { method: string; current: boolean }[] }>('{ mySessions { method current } }');
      expect(mySessions).toEqual(expect.arrayContaining([{ method: 'GITHUB', current: true }, { method: 'AZURE_AD', current: false }]));
      expect(await changePassword(client, { next: NEW_PASSWORD })).toEqual({ data: { changePassword: true } });
      expect(errorCode(await me(new GraphQLClient(hub.url, other.accessToken)))).toBe('UNAUTHENTICATED');
      await signIn('sso@example.com', NEW_PASSWORD);
      // From now on the password it set must be proven.
      expect(errorCode(await changePassword(client, { next: 'another-password-3' }))).toBe('BAD_USER_INPUT');
    });

    it('should refuse to set a first password from a sign-in older than 10 minutes, even a refreshed one', async () => {
      const userId = await createMember(`stale-sso-${RUN}@example.com`);
      await db.query('UPDATE users SET password_hash = NULL WHERE id = $1', [userId]);
      const user = (await db.getRepository(User).findOneByOrFail({ id: userId })) as User;
      const sso = await hub.app.get(LoginService).startSession(user, { method: AuthMethod.AZURE_AD });
      await db.query(`UPDATE sign_in_sessions SET created_at = now() - interval '11 minutes' WHERE user_id = $1`, [userId]);
      const refreshed = (await refresh(sso.refreshToken)).data!.refreshToken;
      const res = await changePassword(new GraphQLClient(hub.url, refreshed.accessToken), { next: NEW_PASSWORD });
      expect(errorCode(res)).toBe('FORBIDDEN');
      expect(res.errors?.[0].message).toMatch(/recent sign-in/);
      expect(await passwordHash(userId)).toBeNull();
    });
  });

  describe('admin actions end sessions', () => {
    it('should end every session of a user with revokeUserSessions, and refuse it to members', async () => {
      const userId = await createMember('kicked@example.com');
      const a = await signIn('kicked@example.com');
      const b = await signIn('kicked@example.com');
      expect(errorCode(await a.client.request('mutation($u: ID!){ revokeUserSessions(userId: $u) }', { u: userId }))).toBe('FORBIDDEN');
      expect(await admin.data('mutation($u: ID!){ revokeUserSessions(userId: $u) }', { u: userId })).toEqual({ revokeUserSessions: 2 });
      await expectSignedOut(a);
      await expectSignedOut(b);
      expect(errorCode(await admin.request('mutation{ revokeUserSessions(userId: "00000000-0000-4000-8000-000000000000") }'))).toBe('NOT_FOUND');
      expect((await me(admin)).errors).toBeUndefined();
    });

    it("should end a disabled user's sessions for good: re-enabling does not bring them back", async () => {
      const userId = await createMember('disabled@example.com');
      const session = await signIn('disabled@example.com');
      await admin.data('mutation($id: ID!){ disableUser(id: $id){ id } }', { id: userId });
      await expectSignedOut(session);
      expect((await sessionRow(session.sessionId)).revoked_at).not.toBeNull();
      await admin.data('mutation($id: ID!){ updateUser(id: $id, input: { disabled: false }){ id } }', { id: userId });
      await expectSignedOut(session);
      await signIn('disabled@example.com');
    });

    it('should refuse the tokens of an account disabled behind the API (guard checks the account too)', async () => {
      const userId = await createMember('flagged@example.com');
      const session = await signIn('flagged@example.com');
      await db.query('UPDATE users SET disabled = true WHERE id = $1', [userId]);
      await expectSignedOut(session);
      await db.query('UPDATE users SET disabled = false WHERE id = $1', [userId]);
    });

    it("should end a user's sessions when their role changes", async () => {
      const userId = await createMember('promoted@example.com');
      const session = await signIn('promoted@example.com');
      await admin.data('mutation($id: ID!){ updateUser(id: $id, input: { displayName: "Still signed in" }){ id } }', { id: userId });
      await expectSignedIn(session);
      await admin.data('mutation($id: ID!){ updateUser(id: $id, input: { role: AUDITOR }){ id } }', { id: userId });
      await expectSignedOut(session);
    });

    it("should end a user's sessions when an admin resets their password", async () => {
      const userId = await createMember('reset@example.com');
      const session = await signIn('reset@example.com');
      await admin.data('mutation($id: ID!){ updateUser(id: $id, input: { password: "reset-by-admin-9" }){ id } }', { id: userId });
      await expectSignedOut(session);
      await signIn('reset@example.com', 'reset-by-admin-9');
    });
  });

  describe('purge job', () => {
    it('should delete expired and long-revoked sessions, keeping live and recently revoked ones', async () => {
      const userId = await createMember('purge@example.com');
      const live = await signIn('purge@example.com');
      const recent = await signIn('purge@example.com');
      await live.client.data('mutation($id: ID!){ revokeSession(id: $id) }', { id: recent.sessionId });
      const insert = async (expiresAt: string, revokedAt: string | null) =>
        (
          await db.query(
            `INSERT INTO sign_in_sessions (user_id, auth_method, expires_at, revoked_at, refresh_token_hash)
             VALUES ($1, 'PASSWORD', now() + $2::interval, now() + $3::interval, '\\x00') RETURNING id`,
            [userId, expiresAt, revokedAt],
          )
        )[0].id as string;
      const expired = await insert('-1 minute', null);
      const oldRevoked = await insert('1 day', '-2 days');
      if (!target.inProcessJobs) worker = await startWorker(hub.config);
      await hub.app.get(JobsService).enqueue(JobName.SIGN_IN_SESSION_PURGE);
      const remaining = async () =>
        ((await db.query('SELECT id FROM sign_in_sessions WHERE user_id = $1', [userId])) as { id: string }[]).map((r) => r.id).sort();
      await waitFor(async () => (await remaining()).length === 2, 20_000, 'the purge job');
      expect(await remaining()).toEqual([live.sessionId, recent.sessionId].sort());
      expect(await remaining()).not.toContain(expired);
      expect(await remaining()).not.toContain(oldRevoked);
    });
  });
});

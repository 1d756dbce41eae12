import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { databaseTargets } from '../support/database-targets.js';
import { GraphQLClient, errorCode, type GraphQLResponse } from '../support/graphql-client.js';
import { createGroup, createKey, createPerson } from '../support/hub-fixtures.js';
import { startHub, type RunningHub } from '../support/hub-app.js';
import { rawPost } from '../support/mcp-clients.js';

const init = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });

interface KeyPage {
  apiKeys: { nodes: { id: string; name: string; owner: { email: string } }[]; pageInfo: { endCursor: string | null; hasNextPage: boolean } };
}
const PAGE = 'query($first: Int, $after: String, $userId: ID){ apiKeys(first: $first, after: $after, userId: $userId){ nodes { id name owner { email } } pageInfo { endCursor hasNextPage } } }';
const UPDATE = 'mutation($id: ID!, $i: UpdateApiKeyInput!){ updateApiKey(id: $id, input: $i){ id name groupIds tags expiresAt perMinute perDay revokedAt } }';

function badInputField(res: GraphQLResponse<unknown>): unknown {
  expect(errorCode(res)).toBe('BAD_USER_INPUT');
  return res.errors?.[0]?.extensions?.field;
}

describe.each(databaseTargets.map((t) => [t.name, t] as const))('API keys: listing, one key, changes (%s)', (_name, target) => {
  let hub: RunningHub;
  let admin: GraphQLClient;
  let member: GraphQLClient & { userId: string };
  let db: DataSource;

  /** Every page of `first` keys, following endCursor. */
  async function walk(client: GraphQLClient, first: number, userId?: string): Promise<string[]> {
    const ids: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 100; pages++) {
      const { apiKeys }: KeyPage = await client.data<KeyPage>(PAGE, { first, after, userId });
      expect(apiKeys.nodes.length).toBeLessThanOrEqual(first);
      ids.push(...apiKeys.nodes.map((k) => k.id));
      if (!apiKeys.pageInfo.hasNextPage) return ids;
      after = apiKeys.pageInfo.endCursor;
    }
    throw new Error('the listing never ended');
  }

  beforeAll(async () => {
    hub = await startHub(target);
    db = hub.app.get(DataSource);
    admin = new GraphQLClient(hub.url);
    await admin.login('admin@example.com', 'admin-password-123');
    member = await createPerson(admin, hub.url, 'keys-member@example.com');
  });
  afterAll(() => hub?.close());

  it('should page through the keys newest first without skipping or repeating keys made in the same millisecond', async () => {
    const made = [];
    for (let i = 0; i < 7; i++) made.push(await createKey(member, { name: `k${i}` }));
    // Three keys in one millisecond (microseconds apart, and two at the very same instant): a cursor that kept only
    // milliseconds, or ordered by time alone, would skip or repeat one of them at a page boundary.
    await db.query(`UPDATE api_keys SET created_at = '2026-03-01T10:00:00.123456Z' WHERE id = $1`, [made[1].id]);
    await db.query(`UPDATE api_keys SET created_at = '2026-03-01T10:00:00.123456Z' WHERE id = $1`, [made[2].id]);
    await db.query(`UPDATE api_keys SET created_at = '2026-03-01T10:00:00.123789Z' WHERE id = $1`, [made[3].id]);
    const expected = (await db.query(`SELECT id FROM api_keys WHERE user_id = $1 ORDER BY created_at DESC, id DESC`, [member.userId])).map((r: { id: string }) => r.id);
    expect(expected).toHaveLength(7);
    for (const first of [1, 2, 3, 50]) expect(await walk(member, first)).toEqual(expected);

    const last = await member.data<KeyPage>(PAGE, { first: 7 });
    expect(last.apiKeys.pageInfo).toEqual({ endCursor: expect.any(String), hasNextPage: false });
    const beyond = await member.data<KeyPage>(PAGE, { first: 7, after: last.apiKeys.pageInfo.endCursor });
    expect(beyond.apiKeys).toEqual({ nodes: [], pageInfo: { endCursor: null, hasNextPage: false } });
  });

  it("should show members only their own keys, admins everyone's with the owner, or one person's with userId", async () => {
    const adminKey = await createKey(admin, { name: 'admins-own' });
    const mine = await walk(member, 50);
    expect(mine).not.toContain(adminKey.id);
    const all = await walk(admin, 2);
    expect(all).toEqual(expect.arrayContaining([...mine, adminKey.id]));
    expect(new Set(all).size).toBe(all.length);
    expect(await walk(admin, 3, member.userId)).toEqual(mine);

    const { apiKeys } = await admin.data<KeyPage>(PAGE, { first: 100 });
    const owners = new Map(apiKeys.nodes.map((k) => [k.id, k.owner.email]));
    expect(owners.get(adminKey.id)).toBe('admin@example.com');
    expect(owners.get(mine[0])).toBe('keys-member@example.com');

    const { me } = await admin.data<{ me: { id: string } }>('{ me { id } }');
    expect(errorCode(await member.request(PAGE, { userId: me.id }))).toBe('FORBIDDEN');
  });

  it('should refuse a cursor it did not hand out and a page size out of range, naming the argument', async () => {
    expect(badInputField(await member.request(PAGE, { after: 'not-a-cursor' }))).toBe('after');
    expect(badInputField(await member.request(PAGE, { after: Buffer.from('2026-01-01T00:00:00.000000Z|nope').toString('base64url') }))).toBe('after');
    expect(badInputField(await member.request(PAGE, { first: 0 }))).toBe('first');
    expect(badInputField(await member.request(PAGE, { first: 101 }))).toBe('first');
    expect(badInputField(await member.request(PAGE, { userId: 'nope' }))).toBe('userId');
  });

  it('should return one key with its owner, and never its secret', async () => {
    const key = await createKey(member, { name: 'single', tags: ['ci'] });
    const { apiKey } = await member.data<{ apiKey: Record<string, unknown> }>('query($id: ID!){ apiKey(id: $id){ id name tags prefix owner { email } } }', { id: key.id });
    expect(apiKey).toMatchObject({ id: key.id, name: 'single', tags: ['ci'], owner: { email: 'keys-member@example.com' } });
    expect(key.secret.startsWith(`${apiKey.prefix as string}_`)).toBe(true);
    expect(JSON.stringify(apiKey)).not.toContain(key.secret.split('_')[2]);
    expect(badInputField(await member.request('query{ apiKey(id: "nope"){ id } }'))).toBe('id');
  });

  it('should change name, tags, quotas and expiry, keep what is left out and clear what is null', async () => {
    const key = await createKey(member, { name: 'editable', tags: ['a'], perMinute: 10, perDay: 100, expiresAt: '2099-01-01T00:00:00Z' });
    const changed = await member.data<{ updateApiKey: Record<string, unknown> }>(UPDATE, { id: key.id, i: { name: ' renamed ', tags: ['b', 'c', 'b'], perMinute: 20 } });
    expect(changed.updateApiKey).toMatchObject({ name: 'renamed', tags: ['b', 'c'], perMinute: 20, perDay: 100, expiresAt: '2099-01-01T00:00:00.000Z' });
    const cleared = await member.data<{ updateApiKey: Record<string, unknown> }>(UPDATE, { id: key.id, i: { perDay: null, expiresAt: null, tags: null } });
    expect(cleared.updateApiKey).toMatchObject({ name: 'renamed', tags: [], perMinute: 20, perDay: null, expiresAt: null });
    const [row] = await db.query('SELECT name, tags, per_minute, per_day, expires_at FROM api_keys WHERE id = $1', [key.id]);
    expect(row).toEqual({ name: 'renamed', tags: [], per_minute: 20, per_day: null, expires_at: null });
    const { auditLog } = await admin.data<{ auditLog: { nodes: { action: string; targetId: string }[] } }>('{ auditLog(first: 5, filter: { action: "updateApiKey" }){ nodes { action targetId } } }');
    expect(auditLog.nodes.map((e) => e.targetId)).toContain(key.id);
  });

  it.each([
    ['an empty name', { name: '  ' }, 'input.name'],
    ['a null name', { name: null }, 'input.name'],
    ['a past expiry', { expiresAt: '2001-01-01T00:00:00Z' }, 'input.expiresAt'],
    ['a zero quota', { perMinute: 0 }, 'input.perMinute'],
    ['a bad tag', { tags: ['ok', 'Not OK'] }, 'input.tags.1'],
    ['a bad group id', { groupIds: ['nope'] }, 'input.groupIds.0'],
  ])('should refuse %s with the field named and change nothing', async (_case, input, field) => {
    const key = await createKey(member, { name: 'untouched', perMinute: 5 });
    expect(badInputField(await member.request(UPDATE, { id: key.id, i: input }))).toBe(field);
    const [row] = await db.query('SELECT name, per_minute, tags, expires_at FROM api_keys WHERE id = $1', [key.id]);
    expect(row).toEqual({ name: 'untouched', per_minute: 5, tags: [], expires_at: null });
  });

  it("should scope a key only to groups its owner may use, also when an admin edits it, and refuse changing a revoked key", async () => {
    const adminsGroup = await createGroup(admin, `admins-${target.name}`, []);
    const key = await createKey(member, { name: 'scoped' });
    // The admin may use the group; the key's owner may not: not found to them, so the change is refused.
    const widened = await admin.request(UPDATE, { id: key.id, i: { groupIds: [adminsGroup.id] } });
    expect(errorCode(widened)).toBe('NOT_FOUND');
    expect(widened.errors?.[0]?.extensions?.field).toBe('input.groupIds');
    expect((await db.query('SELECT group_ids FROM api_keys WHERE id = $1', [key.id]))[0].group_ids).toEqual([]);

    await member.data('mutation($id: ID!){ revokeApiKey(id: $id){ id } }', { id: key.id });
    expect(errorCode(await member.request(UPDATE, { id: key.id, i: { name: 'again' } }))).toBe('CONFLICT');
  });

  it('should apply a change of groups to the gateway at once, also for a key it has already verified and cached', async () => {
    const first = await createGroup(admin, `first-${target.name}`, []);
    const second = await createGroup(admin, `second-${target.name}`, []);
    const key = await createKey(admin, { name: 'moving', groupIds: [first.id] });
    const call = (slug: string) => rawPost(`${hub.url}/mcp/${slug}`, init, { authorization: `Bearer ${key.secret}` });
    expect((await call(first.slug)).status).toBe(200);
    expect((await call(second.slug)).status).toBe(403);

    await admin.data(UPDATE, { id: key.id, i: { groupIds: [second.id] } });
    expect((await call(first.slug)).status).toBe(403);
    expect((await call(second.slug)).status).toBe(200);
  });

  it('should report usage per hour, oldest first, with errors and latency', async () => {
    const key = await createKey(member, { name: 'hourly' });
    const serverId = '00000000-0000-4000-8000-00000000000a';
    const rows = [
      ['2026-02-01T10:00:00Z', 'echo', 3, 1, 30, 20],
      ['2026-02-01T10:00:00Z', 'add', 1, 0, 50, 50],
      ['2026-02-01T08:00:00Z', 'echo', 2, 0, 10, 6],
    ];
    for (const [hour, tool, calls, errors, total, max] of rows) {
      await db.query(
        'INSERT INTO usage_hourly (key_id, server_id, tool, hour, server_slug, calls, errors, total_latency_ms, max_latency_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
        [key.id, serverId, tool, hour, 'everything', calls, errors, total, max],
      );
    }
    const { usage } = await member.data<{ usage: { calls: number; byHour: unknown[] } }>(
      'query($k: ID!){ usage(keyId: $k, from: "2026-02-01T00:00:00Z", to: "2026-02-02T00:00:00Z"){ calls byHour { hour calls errors avgLatencyMs maxLatencyMs } } }',
      { k: key.id },
    );
    expect(usage.calls).toBe(6);
    expect(usage.byHour).toEqual([
      { hour: '2026-02-01T08:00:00.000Z', calls: 2, errors: 0, avgLatencyMs: 5, maxLatencyMs: 6 },
      { hour: '2026-02-01T10:00:00.000Z', calls: 4, errors: 1, avgLatencyMs: 20, maxLatencyMs: 50 },
    ]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { Clock, JobName, JobsService, QueueName } from '#core';
import { CALL_LOG_RETENTION_SCHEDULER_ID, CallLogRetention } from '#keys';
import { allEntries, connectTagged, type CallLogEntry, type TaggedClient } from '../support/call-log.js';
import { GraphQLClient, errorCode } from '../support/graphql-client.js';
import { createGroup, createKey, registerServer } from '../support/hub-fixtures.js';
import { startHub, type RunningHub } from '../support/hub-app.js';
import { hubTargetRows } from '../support/hub-targets.js';
import { everythingStdio, startEverythingHttp, waitFor, type RunningUpstream } from '../support/upstreams.js';
import { startWorker } from '../support/worker-app.js';

const HOUR = 3_600_000;
const range = () => ({ f: new Date(Date.now() - HOUR).toISOString(), t: new Date(Date.now() + HOUR).toISOString() });

/** percentile_cont: linear interpolation between the closest ranks. */
function percentileCont(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = p * (sorted.length - 1);
  const low = Math.floor(rank);
  return sorted[low] + (sorted[Math.min(low + 1, sorted.length - 1)] - sorted[low]) * (rank - low);
}

describe.each(hubTargetRows)('call log, DEBUG capture and usage analytics on %s', (_name, target) => {
  let hub: RunningHub;
  let admin: GraphQLClient;
  let alice: GraphQLClient;
  let auditor: GraphQLClient;
  let aliceUpstream: RunningUpstream;
  let agent: TaggedClient;
  let limited: TaggedClient;
  let aliceAgent: TaggedClient;
  const ids: Record<string, string> = {};
  const clients: TaggedClient[] = [];

  const person = async (email: string, role?: string) => {
    const { createUser } = await admin.data<{ createUser: { id: string } }>('mutation($i: CreateUserInput!){ createUser(input: $i){ id } }', {
      i: { email, password: 'person-password-1', ...(role ? { role } : {}) },
    });
    const client = new GraphQLClient(hub.url);
    await client.login(email, 'person-password-1');
    return { client, id: createUser.id };
  };
  const only = async (client: GraphQLClient, filter: Record<string, unknown>): Promise<CallLogEntry> => {
    const entries = await allEntries(client, filter);
    expect(entries).toHaveLength(1);
    return entries[0];
  };
  const capture = (client: GraphQLClient, target: 'KEY' | 'GROUP', id: string, minutes: number) =>
    client.request<{ enableCallCapture: { expiresAt: string } }>('mutation($t: CallCaptureTarget!, $id: ID!, $m: Int!){ enableCallCapture(target: $t, id: $id, minutes: $m){ targetKind targetId expiresAt } }', {
      t: target,
      id,
      m: minutes,
    });
  const exportLog = (token: string | undefined, query: string) =>
    fetch(`${hub.url}/call-log/export?${query}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  beforeAll(async () => {
    aliceUpstream = await startEverythingHttp('streamableHttp');
    hub = await startHub(target.database, target.env);
    admin = new GraphQLClient(hub.url);
    await admin.login('admin@example.com', 'admin-password-123');
    ids.admin = (await admin.data<{ me: { id: string } }>('query{ me { id } }')).me.id;
    ids.server = (await registerServer(admin, { name: 'Everything', slug: 'everything', transport: 'STDIO', ...everythingStdio() })).id;
    ids.group = (await createGroup(admin, 'calls', [ids.server])).id;
    await admin.data('mutation($i: CreateRoutingRuleInput!){ createRoutingRule(input: $i){ id } }', {
      i: { groupId: ids.group, name: 'no big sums', priority: 10, conditions: { tool: { glob: 'everything__get-sum' }, arguments: [{ path: '$.a', op: 'RANGE', min: 1000 }] }, action: { type: 'DENY', message: 'numbers too large' } },
    });
    const key = await createKey(admin, { name: 'admin-agent' });
    const limitedKey = await createKey(admin, { name: 'limited', perMinute: 1 });
    ids.key = key.id;
    ids.limitedKey = limitedKey.id;

    const a = await person('alice@example.com');
    alice = a.client;
    ids.alice = a.id;
    auditor = (await person('auditor@example.com', 'AUDITOR')).client;
    ids.aliceServer = (await registerServer(alice, { name: 'Alice everything', slug: 'alice-everything', transport: 'STREAMABLE_HTTP', url: aliceUpstream.url })).id;
    ids.aliceGroup = (await createGroup(alice, 'alice-calls', [ids.aliceServer])).id;
    const aliceKey = await createKey(alice, { name: 'alice-agent' });
    ids.aliceKey = aliceKey.id;

    agent = await connectTagged(hub.url, 'calls', key.secret);
    limited = await connectTagged(hub.url, 'calls', limitedKey.secret);
    aliceAgent = await connectTagged(hub.url, 'alice-calls', aliceKey.secret);
    clients.push(agent, limited, aliceAgent);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.client.close().catch(() => undefined)));
    await hub?.close();
    await aliceUpstream?.stop();
  });

  describe('one entry per call, with its outcome and correlation id', () => {
    it('should record a successful call with key, user, group, server, replica and latency', async () => {
      agent.tag('cl-ok-000001');
      await agent.client.callTool({ name: 'everything__echo', arguments: { message: 'hello log' } });
      const entry = await only(admin, { outcome: 'OK', keyId: ids.key, tool: 'everything__echo' });
      expect(entry).toMatchObject({
        method: 'tools/call',
        name: 'everything__echo',
        keyId: ids.key,
        keyName: 'admin-agent',
        groupId: ids.group,
        groupSlug: 'calls',
        serverId: ids.server,
        serverSlug: 'everything',
        correlationId: 'cl-ok-000001',
        error: null,
        arguments: null, // no capture on: arguments and results are not kept
        result: null,
      });
      expect(entry.replicaId).toMatch(/^[0-9a-f-]{36}$/);
      expect(entry.latencyMs).toBeGreaterThan(0);
      expect(Date.parse(entry.at)).toBeGreaterThan(Date.now() - 60_000);
    });

    it('should record a result marked isError as TOOL_ERROR with its text', async () => {
      agent.tag('cl-tool-error-01');
      const result = await agent.client.callTool({ name: 'everything__get-sum', arguments: { a: 'not a number', b: 1 } });
      expect(result.isError).toBe(true);
      const entry = await only(admin, { outcome: 'TOOL_ERROR' });
      expect(entry).toMatchObject({ correlationId: 'cl-tool-error-01', name: 'everything__get-sum', serverId: ids.server });
      expect(entry.error).toMatch(/Input validation error|invalid/i);
    });

    it('should record an unknown tool as NOT_FOUND', async () => {
      agent.tag('cl-unknown-0001');
      await expect(agent.client.callTool({ name: 'everything__no-such-tool', arguments: {} })).rejects.toThrow(/Unknown tool/);
      const entry = await only(admin, { outcome: 'NOT_FOUND', tool: 'everything__no-such-tool' });
      expect(entry).toMatchObject({ correlationId: 'cl-unknown-0001', name: 'everything__no-such-tool', serverId: null, groupId: ids.group });
    });

    it('should keep recording after an agent sends text PostgreSQL cannot store (NUL)', async () => {
      agent.tag('cl-nul-name-0001');
      await expect(agent.client.callTool({ name: 'nul\u0000tool', arguments: {} })).rejects.toThrow(/Unknown tool/);
      agent.tag('cl-after-nul-001');
      await agent.client.callTool({ name: 'everything__echo', arguments: { message: 'after nul' } });
      const entries = await allEntries(admin, { keyId: ids.key });
      expect(entries.find((e) => e.correlationId === 'cl-nul-name-0001')).toMatchObject({ name: 'nultool', outcome: 'NOT_FOUND' });
      expect(entries.find((e) => e.correlationId === 'cl-after-nul-001')).toMatchObject({ outcome: 'OK' });
    });

    it('should record a routing-rule denial as RULE_DENIED', async () => {
      agent.tag('cl-denied-00001');
      await expect(agent.client.callTool({ name: 'everything__get-sum', arguments: { a: 5000, b: 1 } })).rejects.toThrow(/numbers too large/);
      const entry = await only(admin, { outcome: 'RULE_DENIED' });
      expect(entry).toMatchObject({ correlationId: 'cl-denied-00001', keyId: ids.key, serverId: null });
      expect(entry.error).toContain('Denied by routing rule "no big sums"');
    });

    it('should record a quota refusal as QUOTA_REFUSED', async () => {
      limited.tag('cl-quota-ok-001');
      await limited.client.callTool({ name: 'everything__echo', arguments: { message: 'first' } });
      limited.tag('cl-quota-refused');
      await expect(limited.client.callTool({ name: 'everything__echo', arguments: { message: 'second' } })).rejects.toThrow(/Rate limit exceeded/);
      const entry = await only(admin, { outcome: 'QUOTA_REFUSED' });
      expect(entry).toMatchObject({ correlationId: 'cl-quota-refused', keyId: ids.limitedKey, name: 'everything__echo', groupId: ids.group });
      expect(entry.error).toMatch(/Rate limit exceeded: 1 tool calls per minute/);
      expect((await only(admin, { keyId: ids.limitedKey, outcome: 'OK' })).correlationId).toBe('cl-quota-ok-001');
    });

    it('should record resources/read and prompts/get too', async () => {
      const { resources } = await agent.client.listResources();
      agent.tag('cl-resource-0001');
      await agent.client.readResource({ uri: resources[0].uri });
      expect(await only(admin, { method: 'resources/read' })).toMatchObject({ name: resources[0].uri, outcome: 'OK', serverId: ids.server, correlationId: 'cl-resource-0001' });
      agent.tag('cl-prompt-00001');
      await expect(agent.client.getPrompt({ name: 'everything__no-such-prompt' })).rejects.toThrow();
      expect(await only(admin, { method: 'prompts/get' })).toMatchObject({ outcome: 'NOT_FOUND', correlationId: 'cl-prompt-00001' });
    });
  });

  describe('visibility', () => {
    beforeAll(async () => {
      aliceAgent.tag('cl-alice-000001');
      await aliceAgent.client.callTool({ name: 'alice-everything__echo', arguments: { message: 'from alice' } });
    });

    it("should show a member their own calls only, and admins and auditors everyone's", async () => {
      const mine = await allEntries(alice);
      expect(mine.length).toBeGreaterThan(0);
      expect(new Set(mine.map((e) => e.userId))).toEqual(new Set([ids.alice]));
      for (const viewer of [admin, auditor]) {
        const all = await allEntries(viewer);
        expect(all.some((e) => e.userId === ids.alice)).toBe(true);
        expect(all.some((e) => e.keyId === ids.key)).toBe(true);
      }
    });

    it("should show a team OWNER their team members' calls, and a plain team member only their own", async () => {
      const owner = await person(`cl-team-owner-${target.name}@example.com`);
      const { createTeam } = await owner.client.data<{ createTeam: { id: string } }>('mutation($i: CreateTeamInput!){ createTeam(input: $i){ id } }', {
        i: { name: `cl-team-${target.name}`, slug: `cl-team-${target.name.replace(/[^a-z0-9]+/g, "-")}` },
      });
      const asOwnerBefore = await allEntries(owner.client);
      expect(asOwnerBefore.some((e) => e.userId === ids.alice)).toBe(false);
      await owner.client.data('mutation($t: ID!, $u: ID!){ addTeamMember(teamId: $t, userId: $u, role: MEMBER){ id } }', { t: createTeam.id, u: ids.alice });
      const asOwner = await allEntries(owner.client);
      expect(asOwner.some((e) => e.userId === ids.alice)).toBe(true);
      expect(asOwner.some((e) => e.userId === ids.admin)).toBe(false);
      // Alice, a plain MEMBER of the team, still sees only her own calls.
      expect(new Set((await allEntries(alice)).map((e) => e.userId))).toEqual(new Set([ids.alice]));
    });

    it("should give a member nothing for another user's key, group or user id", async () => {
      expect(await allEntries(alice, { keyId: ids.key })).toEqual([]);
      expect(await allEntries(alice, { groupId: ids.group })).toEqual([]);
      expect(await allEntries(alice, { userId: ids.admin })).toEqual([]);
      const rows = await alice.data<{ usageAnalytics: { id: string }[] }>('query($f: DateTime!, $t: DateTime!){ usageAnalytics(from: $f, to: $t, groupBy: USER){ id } }', range());
      expect(rows.usageAnalytics.map((r) => r.id)).toEqual([ids.alice]);
    });

    it('should refuse bad filters and page sizes with a message naming the field', async () => {
      const big = await admin.request('query{ callLog(first: 101){ hasNextPage } }');
      expect(errorCode(big)).toBe('BAD_USER_INPUT');
      expect(big.errors?.[0].message).toMatch(/first: must be between 1 and 100/);
      const badId = await admin.request('query{ callLog(filter: { keyId: "nope" }){ hasNextPage } }');
      expect(badId.errors?.[0].message).toMatch(/filter.keyId: must be a UUID/);
      const badCursor = await admin.request('query{ callLog(after: "garbage"){ hasNextPage } }');
      expect(badCursor.errors?.[0].message).toMatch(/after: is not a cursor/);
    });

    it('should page with cursors: newest first, no overlap, nothing missed', async () => {
      const everything = await allEntries(admin, {}, 100);
      const paged = await allEntries(admin, {}, 2);
      expect(paged.map((e) => e.id)).toEqual(everything.map((e) => e.id));
      expect(new Set(paged.map((e) => e.id)).size).toBe(paged.length);
      const times = paged.map((e) => Date.parse(e.at));
      expect(times).toEqual([...times].sort((x, y) => y - x));
    });
  });

  describe('DEBUG capture', () => {
    let clock: Clock;
    const realNow = Clock.prototype.now;
    beforeAll(() => {
      clock = hub.app.get(Clock);
    });
    afterAll(() => {
      clock.now = realNow;
    });

    it('should let only the owner (or an admin) turn it on, for at most 60 minutes', async () => {
      expect(errorCode(await capture(alice, 'KEY', ids.key, 5))).toBe('NOT_FOUND');
      expect(errorCode(await capture(alice, 'GROUP', ids.group, 5))).toBe('NOT_FOUND');
      expect(errorCode(await capture(auditor, 'KEY', ids.aliceKey, 5))).toBe('FORBIDDEN');
      const tooLong = await capture(admin, 'KEY', ids.key, 61);
      expect(errorCode(tooLong)).toBe('BAD_USER_INPUT');
      expect(tooLong.errors?.[0].message).toMatch(/minutes: must be between 1 and 60/);
      expect(errorCode(await capture(admin, 'KEY', ids.key, 0))).toBe('BAD_USER_INPUT');
    });

    it('should store arguments and results truncated and with secrets redacted while on', async () => {
      const on = await capture(admin, 'KEY', ids.key, 5);
      expect(on.errors).toBeUndefined();
      const secret = 'sk-live-0123456789abcdefghij';
      const message = `call with Bearer abcdefghijklmnop123456 and ${secret} ${'x'.repeat(20_000)}`;
      agent.tag('cl-capture-0001');
      await agent.client.callTool({ name: 'everything__echo', arguments: { password: 'hunter2-is-my-password', nested: { api_key: 'plain-value-123' }, message } });
      const entry = (await allEntries(admin, { keyId: ids.key })).find((e) => e.correlationId === 'cl-capture-0001')!;
      expect(entry).toMatchObject({ outcome: 'OK', name: 'everything__echo' });
      for (const body of [entry.arguments!, entry.result!]) {
        expect(body).not.toBeNull();
        expect(Buffer.byteLength(body)).toBeLessThanOrEqual(8 * 1024 + 16);
        expect(body).toMatch(/…\[truncated\]$/);
        expect(body).not.toContain('abcdefghijklmnop123456');
        expect(body).not.toContain(secret);
        expect(body).toContain('[REDACTED]');
      }
      expect(entry.arguments).not.toContain('hunter2');
      expect(entry.arguments).not.toContain('plain-value-123');
      expect(entry.arguments).toContain('"password":"[REDACTED]"');
      expect(entry.result).toContain('Echo: call with');
    });

    it('should list the running capture, and stop storing bodies once it has expired (clock moved past it)', async () => {
      const { callCaptures } = await admin.data<{ callCaptures: { targetId: string }[] }>('query{ callCaptures{ targetKind targetId expiresAt enabledBy } }');
      expect(callCaptures.map((c) => c.targetId)).toContain(ids.key);
      expect((await alice.data<{ callCaptures: unknown[] }>('query{ callCaptures{ targetId } }')).callCaptures).toEqual([]);
      clock.now = () => Date.now() + 6 * 60_000; // the capture was for 5 minutes
      agent.tag('cl-expired-0001');
      await agent.client.callTool({ name: 'everything__echo', arguments: { message: 'after expiry', token: 'tok' } });
      const entry = (await allEntries(admin, { keyId: ids.key })).find((e) => e.correlationId === 'cl-expired-0001')!;
      expect(entry).toMatchObject({ outcome: 'OK', arguments: null, result: null });
      clock.now = realNow;
    });

    it('should capture a whole group for its owner, and stop when turned off', async () => {
      expect((await capture(alice, 'GROUP', ids.aliceGroup, 1)).errors).toBeUndefined();
      aliceAgent.tag('cl-group-cap-01');
      await aliceAgent.client.callTool({ name: 'alice-everything__echo', arguments: { message: 'captured by group' } });
      const captured = (await allEntries(alice)).find((e) => e.correlationId === 'cl-group-cap-01')!;
      expect(JSON.parse(captured.arguments!)).toEqual({ message: 'captured by group' });
      const off = 'mutation($id: ID!){ disableCallCapture(target: GROUP, id: $id) }';
      expect((await alice.data<{ disableCallCapture: boolean }>(off, { id: ids.aliceGroup })).disableCallCapture).toBe(true);
      expect((await alice.data<{ disableCallCapture: boolean }>(off, { id: ids.aliceGroup })).disableCallCapture).toBe(false);
      aliceAgent.tag('cl-group-off-01');
      await aliceAgent.client.callTool({ name: 'alice-everything__echo', arguments: { message: 'not captured' } });
      expect((await allEntries(alice)).find((e) => e.correlationId === 'cl-group-off-01')).toMatchObject({ arguments: null, result: null });
    });
  });

  describe('usage analytics', () => {
    it('should count calls and errors and give p50/p95 latencies as PostgreSQL computes them', async () => {
      const { usageAnalytics } = await admin.data<{ usageAnalytics: { id: string; label: string; calls: number; errors: number; p50LatencyMs: number; p95LatencyMs: number }[] }>(
        'query($f: DateTime!, $t: DateTime!){ usageAnalytics(from: $f, to: $t, groupBy: TOOL){ id label calls errors p50LatencyMs p95LatencyMs } }',
        range(),
      );
      const entries = (await allEntries(admin)).filter((e) => e.method === 'tools/call');
      const echo = entries.filter((e) => e.name === 'everything__echo');
      const row = usageAnalytics.find((r) => r.id === 'everything__echo')!;
      expect(row).toMatchObject({ label: 'everything__echo', calls: echo.length, errors: echo.filter((e) => e.outcome !== 'OK').length });
      const reached = echo.filter((e) => e.serverId).map((e) => e.latencyMs);
      expect(row.p50LatencyMs).toBeCloseTo(percentileCont(reached, 0.5), 6);
      expect(row.p95LatencyMs).toBeCloseTo(percentileCont(reached, 0.95), 6);
      expect(row.p50LatencyMs).toBeGreaterThan(0);
      expect(row.p95LatencyMs).toBeGreaterThanOrEqual(row.p50LatencyMs);
      const sum = usageAnalytics.find((r) => r.id === 'everything__get-sum')!;
      expect(sum).toMatchObject({ calls: 2, errors: 2 }); // a tool error and a rule denial
    });

    it('should group by key, user, group and server with labels, within a filter', async () => {
      const by = async (groupBy: string, filter?: Record<string, unknown>) =>
        (
          await admin.data<{ usageAnalytics: { id: string | null; label: string | null; calls: number }[] }>(
            'query($f: DateTime!, $t: DateTime!, $g: UsageDimension!, $x: CallLogFilterInput){ usageAnalytics(from: $f, to: $t, groupBy: $g, filter: $x){ id label calls } }',
            { ...range(), g: groupBy, x: filter ?? null },
          )
        ).usageAnalytics;
      expect(await by('KEY')).toEqual(expect.arrayContaining([expect.objectContaining({ id: ids.limitedKey, label: 'limited', calls: 2 })]));
      expect(await by('USER')).toEqual(expect.arrayContaining([expect.objectContaining({ id: ids.alice, label: 'alice@example.com' })]));
      expect(await by('GROUP')).toEqual(expect.arrayContaining([expect.objectContaining({ id: ids.aliceGroup, label: 'alice-calls' })]));
      expect(await by('SERVER', { outcome: 'OK' })).toEqual(expect.arrayContaining([expect.objectContaining({ id: ids.server, label: 'everything' })]));
      expect(await by('KEY', { keyId: ids.limitedKey })).toEqual([expect.objectContaining({ id: ids.limitedKey, calls: 2 })]);
      const bad = await admin.request('query{ usageAnalytics(from: "2026-01-02T00:00:00Z", to: "2026-01-01T00:00:00Z", groupBy: KEY){ calls } }');
      expect(bad.errors?.[0].message).toMatch(/to: must be after from/);
    });
  });

  describe('export', () => {
    it('should export the visible log as NDJSON, the same entries as the API', async () => {
      const res = await exportLog(admin.token, 'format=ndjson');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/application\/x-ndjson/);
      const lines = (await res.text()).trim().split('\n').map((l) => JSON.parse(l) as CallLogEntry);
      expect(lines.map((l) => l.id)).toEqual((await allEntries(admin)).map((e) => e.id));
      const own = (await (await exportLog(alice.token, 'format=ndjson')).text()).trim().split('\n').map((l) => JSON.parse(l) as CallLogEntry);
      expect(new Set(own.map((l) => l.userId))).toEqual(new Set([ids.alice]));
      const filtered = (await (await exportLog(admin.token, `format=ndjson&outcome=RULE_DENIED`)).text()).trim().split('\n');
      expect(filtered).toHaveLength(1);
    });

    it('should export CSV that a spreadsheet cannot run as formulas', async () => {
      agent.tag('cl-formula-0001');
      await expect(agent.client.callTool({ name: '=HYPERLINK("http://evil.example","x")', arguments: {} })).rejects.toThrow(/Unknown tool/);
      const res = await exportLog(admin.token, 'format=csv&outcome=NOT_FOUND&method=tools/call');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/text\/csv/);
      const text = await res.text();
      const [header, ...rows] = text.trim().split('\r\n');
      expect(header).toBe('id,at,keyId,keyName,userId,groupId,groupSlug,serverId,serverSlug,replicaId,method,name,outcome,latencyMs,error,correlationId,arguments,result');
      expect(rows).toHaveLength(3);
      const formula = rows.find((r) => r.includes('cl-formula-0001'))!;
      expect(formula).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
      expect(formula).not.toMatch(/(^|,)"?=/);
    });

    it('should refuse bad requests and anonymous callers', async () => {
      expect((await exportLog(undefined, 'format=csv')).status).toBe(401);
      const bad = await exportLog(admin.token, 'format=xml');
      expect(bad.status).toBe(400);
      expect(await bad.json()).toMatchObject({ error: { code: 'BAD_INPUT', message: 'format: must be ndjson or csv' } });
      expect((await exportLog(admin.token, 'from=yesterday')).status).toBe(400);
    });
  });

  describe('retention', () => {
    // Jobs run in the hub in embedded mode, in the worker (BullMQ) with Redis.
    let jobs: INestApplicationContext;
    let worker: INestApplicationContext | undefined;
    beforeAll(async () => {
      if (!target.inProcessJobs) {
        worker = await startWorker(hub.config);
        // The worker keeps an hourly schedule in BullMQ. Take it out (and let a run it started finish) so that no
        // scheduled run races the counts below; the last spec enqueues the job itself.
        const queue = worker.get<Queue>(getQueueToken(QueueName.CALL_LOG), { strict: false });
        expect(await queue.getJobScheduler(CALL_LOG_RETENTION_SCHEDULER_ID)).toMatchObject({ every: 3_600_000, name: JobName.CALL_LOG_RETENTION });
        await queue.removeJobScheduler(CALL_LOG_RETENTION_SCHEDULER_ID);
        await waitFor(async () => (await queue.getJobCountByTypes('active', 'waiting', 'delayed', 'prioritized')) === 0, 15_000, 'scheduled retention runs to finish');
      }
      jobs = worker ?? hub.app;
    });
    afterAll(async () => {
      await worker?.close();
    });
    const insertOld = async (db: DataSource, count: number, daysAgo: number) => {
      for (let i = 0; i < count; i++) {
        await db.query(
          `INSERT INTO call_log (at, key_id, user_id, method, name, outcome, latency_ms) VALUES (now() - make_interval(days => $1), $2, $3, 'tools/call', 'old', 'OK', 1)`,
          [daysAgo, ids.key, ids.alice],
        );
      }
    };
    const count = async (db: DataSource, name: string) => (await db.query(`SELECT count(*)::int AS n FROM call_log WHERE name = $1`, [name]))[0].n as number;

    it('should delete entries older than CALL_LOG_RETENTION_DAYS in bounded batches and keep newer ones', async () => {
      const db = hub.app.get(DataSource);
      await insertOld(db, 5, 31);
      await insertOld(db, 1, 29);
      await db.query(`UPDATE call_log SET name = 'kept' WHERE name = 'old' AND at > now() - interval '30 days'`);
      const result = await jobs.get(CallLogRetention).run(2, 10);
      expect(result.entries).toBe(5);
      expect(await count(db, 'old')).toBe(0);
      expect(await count(db, 'kept')).toBe(1);
      expect((await allEntries(admin, { keyId: ids.key })).length).toBeGreaterThan(0);
      // At most maxBatches × batchRows per run: the rest waits for the next run.
      await insertOld(db, 5, 40);
      expect((await jobs.get(CallLogRetention).run(2, 2)).entries).toBe(4);
      expect(await count(db, 'old')).toBe(1);
    });

    it('should run as a job (in-process, or in the BullMQ worker with Redis)', async () => {
      const db = hub.app.get(DataSource);
      await insertOld(db, 3, 45);
      await jobs.get(JobsService).enqueue(JobName.CALL_LOG_RETENTION);
      await waitFor(async () => (await count(db, 'old')) === 0, 15_000, 'the retention job');
    });
  });
});

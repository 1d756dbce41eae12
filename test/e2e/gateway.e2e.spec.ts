import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { CreateMessageRequestSchema, ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { SessionRegistry, UpstreamPool } from '#mcp-gateway';
import { hubTargetRows, oneHubTargetRows } from '../support/hub-targets.js';
import { freezeQuotaClock } from '../support/quota-clock.js';
import { GraphQLClient } from '../support/graphql-client.js';
import { createGroup, createKey, registerServer } from '../support/hub-fixtures.js';
import { startHub, type RunningHub } from '../support/hub-app.js';
import { connectSse, connectStreamable, rawPost } from '../support/mcp-clients.js';
import { everythingStdio, memoryStdio, startEverythingHttp, waitFor, type RunningUpstream } from '../support/upstreams.js';

type ToolResult = { content: { type: string; text?: string }[]; isError?: boolean };
const text = (r: unknown) => (r as ToolResult).content.map((c) => c.text ?? '').join('');

/** Child processes of this test process (the hub runs in-process), with state letter and command line; not `ps` itself. */
function children(): { pid: number; state: string; args: string }[] {
  const out = execFileSync('ps', ['-o', 'pid=,stat=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' }).trim();
  return out
    .split('\n')
    .map((l) => /^\s*(\d+)\s+(\S+)\s+(.*)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), state: m[2], args: m[3] }))
    .filter((c) => !c.args.startsWith('ps '));
}

describe.each(hubTargetRows)('MCP gateway (real upstreams, real SDK clients) on %s', (_name, target) => {
  let hub: RunningHub;
  let admin: GraphQLClient;
  let httpUpstream: RunningUpstream;
  let sseUpstream: RunningUpstream;
  let key: { id: string; secret: string };
  const ids: Record<string, string> = {};
  const clients: Client[] = [];
  const track = <T extends Client>(c: T) => (clients.push(c), c);

  beforeAll(async () => {
    [httpUpstream, sseUpstream] = await Promise.all([startEverythingHttp('streamableHttp'), startEverythingHttp('sse')]);
    // 4 MiB bound (default 32 MiB) so the huge-body check below stays fast.
    hub = await startHub(target.database, { ...target.env, UPSTREAM_REQUEST_TIMEOUT_MS: '4000', UPSTREAM_MAX_MESSAGE_BYTES: String(4 * 1024 * 1024) });
    admin = new GraphQLClient(hub.url);
    await admin.login('admin@example.com', 'admin-password-123');
    ids.everything = (await registerServer(admin, { name: 'Everything', slug: 'everything', transport: 'STDIO', ...everythingStdio() })).id;
    ids.memory = (await registerServer(admin, { name: 'Memory', slug: 'memory', transport: 'STDIO', ...memoryStdio() })).id;
    ids.http = (await registerServer(admin, { name: 'Remote HTTP', slug: 'remote-http', transport: 'STREAMABLE_HTTP', url: httpUpstream.url })).id;
    ids.sse = (await registerServer(admin, { name: 'Remote SSE', slug: 'remote-sse', transport: 'SSE', url: sseUpstream.url })).id;
    ids.dead = (await registerServer(admin, { name: 'Dead', slug: 'dead', transport: 'STREAMABLE_HTTP', url: 'http://127.0.0.1:9/mcp' })).id;
    ids.main = (await createGroup(admin, 'main', [ids.everything, ids.memory])).id;
    ids.remote = (await createGroup(admin, 'remote', [ids.http, ids.sse, ids.dead])).id;
    ids.filtered = (await createGroup(admin, 'filtered', [ids.everything])).id;
    await admin.data('mutation($id: ID!){ updateGroup(id: $id, input: { toolFilterMode: ALLOW, toolFilter: ["everything__echo"] }){ id } }', { id: ids.filtered });
    key = await createKey(admin);
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await hub?.close();
    await Promise.all([httpUpstream?.stop(), sseUpstream?.stop()]);
  });

  describe('aggregation over Streamable HTTP', () => {
    let client: Client;
    beforeAll(async () => {
      client = track(await connectStreamable(hub.url, 'main', key.secret));
    });

    it('should present the group as one server with namespaced tools of every member', async () => {
      expect(client.getServerVersion()?.name).toBe('mcp-hub/main');
      const { tools } = await client.listTools();
      const names = tools.map((t) => t.name);
      expect(names).toEqual(expect.arrayContaining(['everything__echo', 'everything__get-sum', 'memory__create_entities', 'memory__read_graph']));
      for (const name of names) expect(name).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
      const echo = tools.find((t) => t.name === 'everything__echo')!;
      expect(echo.inputSchema).toMatchObject({ type: 'object', properties: { message: expect.any(Object) } });
    });

    it('should route calls to the right upstream by namespaced name', async () => {
      expect(text(await client.callTool({ name: 'everything__echo', arguments: { message: 'hi hub' } }))).toContain('hi hub');
      expect(text(await client.callTool({ name: 'everything__get-sum', arguments: { a: 2, b: 40 } }))).toContain('42');
      await client.callTool({ name: 'memory__create_entities', arguments: { entities: [{ name: 'hub', entityType: 'software', observations: ['routes calls'] }] } });
      expect(text(await client.callTool({ name: 'memory__read_graph', arguments: {} }))).toContain('routes calls');
    });

    it('should answer an unknown tool with a JSON-RPC error, and invalid arguments as a tool error', async () => {
      await expect(client.callTool({ name: 'everything__nope', arguments: {} })).rejects.toThrow(/Unknown tool: everything__nope/);
      const bad = (await client.callTool({ name: 'everything__get-sum', arguments: { a: 'x' } })) as ToolResult;
      expect(bad.isError).toBe(true);
    });

    it('should list and read resources, including ones matched by a template', async () => {
      const { resources } = await client.listResources();
      expect(resources.length).toBeGreaterThan(0);
      const read = await client.readResource({ uri: resources[0].uri });
      expect(read.contents[0].uri).toBe(resources[0].uri);
      const { resourceTemplates } = await client.listResourceTemplates();
      expect(resourceTemplates.map((t) => t.uriTemplate)).toEqual(expect.arrayContaining([expect.stringContaining('demo://resource/dynamic/text/')]));
      const dynamic = await client.readResource({ uri: 'demo://resource/dynamic/text/7' });
      expect(dynamic.contents[0].uri).toBe('demo://resource/dynamic/text/7');
      await expect(client.readResource({ uri: 'nowhere://x' })).rejects.toThrow(/Unknown resource/);
    });

    it('should list and get prompts and complete prompt arguments', async () => {
      const { prompts } = await client.listPrompts();
      expect(prompts.map((p) => p.name)).toEqual(expect.arrayContaining(['everything__simple-prompt', 'everything__args-prompt']));
      const prompt = await client.getPrompt({ name: 'everything__simple-prompt' });
      expect(prompt.messages.length).toBeGreaterThan(0);
      const completion = await client.complete({ ref: { type: 'ref/prompt', name: 'everything__completable-prompt' }, argument: { name: 'department', value: 'E' } });
      expect(completion.completion.values).toEqual(expect.arrayContaining(['Engineering']));
    });

    it('should forward progress notifications to the calling session only', async () => {
      const progress: number[] = [];
      const result = await client.callTool(
        { name: 'everything__trigger-long-running-operation', arguments: { duration: 0.3, steps: 3 } },
        undefined,
        { onprogress: (p) => progress.push(p.progress) },
      );
      expect(text(result)).toMatch(/completed/i);
      expect(progress).toEqual([1, 2, 3]);
    });

    it('should reject a bad pagination cursor with -32602', async () => {
      await expect(client.listTools({ cursor: 'not-a-hub-cursor' })).rejects.toThrow(/Invalid cursor/);
    });

    it('should run concurrent calls from many sessions on one shared stdio process', async () => {
      const sessions = await Promise.all(Array.from({ length: 5 }, () => connectStreamable(hub.url, 'main', key.secret)));
      sessions.forEach(track);
      const results = await Promise.all(
        sessions.flatMap((s, i) => Array.from({ length: 20 }, (_, j) => s.callTool({ name: 'everything__echo', arguments: { message: `m-${i}-${j}` } }))),
      );
      results.forEach((r, n) => expect(text(r)).toContain(`m-${Math.floor(n / 20)}-${n % 20}`));
      const pool = hub.app.get(UpstreamPool);
      expect(pool.status(ids.everything)?.pid).toEqual(expect.any(Number));
      const stdioEverything = children().filter((c) => c.args.endsWith(' stdio') && c.args.includes('server-everything'));
      expect(stdioEverything.map((c) => c.pid)).toEqual([pool.status(ids.everything)!.pid]);
    });
  });

  describe('server→client requests', () => {
    it('should relay sampling to the calling client that declared the capability', async () => {
      const client = track(await connectStreamable(hub.url, 'main', key.secret, { capabilities: { sampling: {} } }));
      client.setRequestHandler(CreateMessageRequestSchema, async () => ({
        model: 'stand-in-model',
        role: 'assistant',
        content: { type: 'text', text: 'sampled by the agent' },
      }));
      const result = await client.callTool({ name: 'everything__trigger-sampling-request', arguments: { prompt: 'hello', maxTokens: 20 } });
      expect(text(result)).toContain('sampled by the agent');
    });

    it('should answer the upstream with an error when the client lacks the capability', async () => {
      const client = track(await connectStreamable(hub.url, 'main', key.secret));
      // The hub answers the upstream's sampling request with an error; the upstream reports it as a tool error.
      const result = (await client.callTool({ name: 'everything__trigger-sampling-request', arguments: { prompt: 'hello', maxTokens: 20 } })) as ToolResult;
      expect(result.isError).toBe(true);
      expect(text(result)).toMatch(/The agent did not declare the sampling capability/);
    });
  });

  describe('legacy HTTP+SSE and remote upstreams', () => {
    it('should serve the same group over /sse', async () => {
      const client = track(await connectSse(hub.url, 'main', key.secret));
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toContain('everything__echo');
      expect(text(await client.callTool({ name: 'everything__echo', arguments: { message: 'over sse' } }))).toContain('over sse');
    });

    it('should aggregate Streamable HTTP and SSE upstreams and leave out an unreachable one', async () => {
      const client = track(await connectStreamable(hub.url, 'remote', key.secret));
      const names = (await client.listTools()).tools.map((t) => t.name);
      expect(names).toEqual(expect.arrayContaining(['remote-http__echo', 'remote-sse__echo']));
      expect(names.some((n) => n.startsWith('dead__'))).toBe(false);
      expect(text(await client.callTool({ name: 'remote-http__echo', arguments: { message: 'via http' } }))).toContain('via http');
      expect(text(await client.callTool({ name: 'remote-sse__echo', arguments: { message: 'via sse' } }))).toContain('via sse');
    });
  });

  describe('tool filter', () => {
    it('should show and allow only the allow-listed tools', async () => {
      const client = track(await connectStreamable(hub.url, 'filtered', key.secret));
      expect((await client.listTools()).tools.map((t) => t.name)).toEqual(['everything__echo']);
      await expect(client.callTool({ name: 'everything__get-sum', arguments: { a: 1, b: 1 } })).rejects.toThrow(/Unknown tool/);
    });
  });

  describe('authentication and scope', () => {
    const init = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });

    it('should answer 401 with WWW-Authenticate for a missing or wrong key', async () => {
      const missing = await rawPost(`${hub.url}/mcp/main`, init);
      expect(missing.status).toBe(401);
      expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer realm="mcp-hub"/);
      const wrong = await rawPost(`${hub.url}/mcp/main`, init, { authorization: 'Bearer mcph_AAAAAAAAAAAA_' + 'B'.repeat(49) });
      expect(wrong.status).toBe(401);
      expect(wrong.json?.error?.message).toMatch(/Unauthorized/);
    });

    it('should refuse a revoked key at once', async () => {
      const doomed = await createKey(admin);
      expect((await rawPost(`${hub.url}/mcp/main`, init, { 'x-api-key': doomed.secret })).status).toBe(200);
      await admin.data('mutation($id: ID!){ revokeApiKey(id: $id){ id } }', { id: doomed.id });
      const after = await rawPost(`${hub.url}/mcp/main`, init, { 'x-api-key': doomed.secret });
      expect(after.status).toBe(401);
      expect(after.json?.error?.message).toMatch(/revoked/);
    });

    it('should answer 403 for a key scoped to another group, and 404 for an unknown group', async () => {
      const scoped = await createKey(admin, { groupIds: [ids.remote] });
      expect((await rawPost(`${hub.url}/mcp/main`, init, { authorization: `Bearer ${scoped.secret}` })).status).toBe(403);
      expect((await rawPost(`${hub.url}/mcp/remote`, init, { authorization: `Bearer ${scoped.secret}` })).status).toBe(200);
      expect((await rawPost(`${hub.url}/mcp/no-such-group`, init, { authorization: `Bearer ${key.secret}` })).status).toBe(404);
    });

    it("should not let a member's key use another user's group", async () => {
      await admin.data('mutation{ createUser(input:{email:"agent-owner@example.com", password:"agent-owner-pass"}){ id } }');
      const member = new GraphQLClient(hub.url);
      await member.login('agent-owner@example.com', 'agent-owner-pass');
      const memberKey = await createKey(member);
      expect((await rawPost(`${hub.url}/mcp/main`, init, { authorization: `Bearer ${memberKey.secret}` })).status).toBe(403);
    });

    it('should bind a session to the key that opened it', async () => {
      const opened = await rawPost(`${hub.url}/mcp/main`, init, { authorization: `Bearer ${key.secret}` });
      const sessionId = opened.headers.get('mcp-session-id')!;
      expect(sessionId).toMatch(/^[\x21-\x7e]{32,}$/);
      const other = await createKey(admin);
      const list = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
      expect((await rawPost(`${hub.url}/mcp/main`, list, { authorization: `Bearer ${other.secret}`, 'mcp-session-id': sessionId })).status).toBe(403);
      expect((await rawPost(`${hub.url}/mcp/main`, list, { authorization: `Bearer ${key.secret}`, 'mcp-session-id': 'unknown' })).status).toBe(404);
      expect((await rawPost(`${hub.url}/mcp/main`, list, { authorization: `Bearer ${key.secret}` })).status).toBe(400);
      const del = await fetch(`${hub.url}/mcp/main`, { method: 'DELETE', headers: { authorization: `Bearer ${key.secret}`, 'mcp-session-id': sessionId } });
      expect(del.status).toBe(200);
      expect((await rawPost(`${hub.url}/mcp/main`, list, { authorization: `Bearer ${key.secret}`, 'mcp-session-id': sessionId })).status).toBe(404);
    });

    it('should reject a browser Origin that is not allowed (DNS rebinding)', async () => {
      const res = await rawPost(`${hub.url}/mcp/main`, init, { authorization: `Bearer ${key.secret}`, origin: 'http://evil.example' });
      expect(res.status).toBe(403);
    });
  });

  describe('malformed JSON-RPC', () => {
    const auth = () => ({ authorization: `Bearer ${key.secret}` });

    it('should answer bad JSON, batches, unknown methods and huge bodies with clear errors and keep serving', async () => {
      const url = `${hub.url}/mcp/main`;
      const badJson = await rawPost(url, '{"jsonrpc": "2.0", "id": 1, "method": ', auth());
      expect(badJson.status).toBe(400);
      expect(badJson.json?.error?.code).toBe(-32700);
      const batch = await rawPost(url, JSON.stringify([{ jsonrpc: '2.0', id: 1, method: 'ping' }]), auth());
      expect(batch.status).toBe(400);
      expect(batch.json?.error?.message).toMatch(/batches are not supported/);
      const notRpc = await rawPost(url, JSON.stringify({ hello: 'world' }), auth());
      expect(notRpc.json?.error?.code).toBe(-32600);
      const huge = await rawPost(url, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping', params: { pad: 'x'.repeat(5 * 1024 * 1024) } }), auth());
      expect(huge.status).toBe(413);

      const client = track(await connectStreamable(hub.url, 'main', key.secret));
      await expect(client.request({ method: 'no/such-method', params: {} }, ToolListChangedNotificationSchema as never)).rejects.toThrow(/Method not found/);
      expect(text(await client.callTool({ name: 'everything__echo', arguments: { message: 'still alive' } }))).toContain('still alive');
    });

    it('should refuse an unsupported MCP-Protocol-Version header', async () => {
      const client = track(await connectStreamable(hub.url, 'main', key.secret));
      const sessionId = (client.transport as { sessionId?: string }).sessionId!;
      const res = await rawPost(`${hub.url}/mcp/main`, JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'ping' }), {
        ...auth(),
        'mcp-session-id': sessionId,
        'mcp-protocol-version': '1999-01-01',
      });
      expect(res.status).toBe(400);
      expect(res.json?.error?.message).toMatch(/MCP-Protocol-Version/);
    });
  });

  describe('quotas', () => {
    let restoreClock: () => void;
    beforeAll(() => void (restoreClock = freezeQuotaClock(hub.app)));
    afterAll(() => restoreClock?.());

    it('should refuse calls over perMinute with 429 and Retry-After, before the upstream', async () => {
      const limited = await createKey(admin, { perMinute: 3 });
      const client = track(await connectStreamable(hub.url, 'main', limited.secret));
      for (let i = 0; i < 3; i++) await client.callTool({ name: 'everything__echo', arguments: { message: `q${i}` } });
      await expect(client.callTool({ name: 'everything__echo', arguments: { message: 'over' } })).rejects.toThrow(/429|Rate limit/);
      const sessionId = (client.transport as { sessionId?: string }).sessionId!;
      const raw = await rawPost(`${hub.url}/mcp/main`, JSON.stringify({ jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: 'everything__echo', arguments: { message: 'x' } } }), {
        authorization: `Bearer ${limited.secret}`,
        'mcp-session-id': sessionId,
      });
      expect(raw.status).toBe(429);
      expect(Number(raw.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(raw.json?.error?.message).toMatch(/3 tool calls per minute/);
      // Other methods are not charged.
      expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    });

    it('should count exactly under 200 concurrent calls', async () => {
      const limited = await createKey(admin, { perMinute: 150 });
      const sessions = await Promise.all(Array.from({ length: 4 }, () => connectStreamable(hub.url, 'main', limited.secret)));
      sessions.forEach(track);
      const outcomes = await Promise.allSettled(
        Array.from({ length: 200 }, (_, i) => sessions[i % 4].callTool({ name: 'everything__echo', arguments: { message: `c${i}` } })),
      );
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(150);
      expect(outcomes.filter((o) => o.status === 'rejected').every((o) => /429|Rate limit/.test(String((o as PromiseRejectedResult).reason)))).toBe(true);
    });

    it('should send the refusal as a JSON-RPC error on the stream for legacy SSE', async () => {
      const limited = await createKey(admin, { perMinute: 1 });
      const client = track(await connectSse(hub.url, 'main', limited.secret));
      await client.callTool({ name: 'everything__echo', arguments: { message: 'one' } });
      await expect(client.callTool({ name: 'everything__echo', arguments: { message: 'two' } })).rejects.toThrow(/Rate limit exceeded/);
    });
  });

  describe('usage', () => {
    it('should report calls per server and tool for a key', async () => {
      const counted = await createKey(admin);
      const client = track(await connectStreamable(hub.url, 'main', counted.secret));
      for (let i = 0; i < 4; i++) await client.callTool({ name: 'everything__echo', arguments: { message: 'u' } });
      await client.callTool({ name: 'memory__read_graph', arguments: {} });
      await client.callTool({ name: 'everything__get-sum', arguments: { a: 'bad' } });
      const { usage } = await admin.data<{ usage: { calls: number; errors: number; byServer: { serverSlug: string; calls: number }[]; byTool: { tool: string; calls: number; errors: number }[] } }>(
        'query($k: ID!, $f: DateTime!, $t: DateTime!){ usage(keyId: $k, from: $f, to: $t){ calls errors byServer { serverSlug calls } byTool { tool calls errors } } }',
        { k: counted.id, f: new Date(Date.now() - 3_600_000).toISOString(), t: new Date(Date.now() + 3_600_000).toISOString() },
      );
      expect(usage.calls).toBe(6);
      expect(usage.errors).toBe(1);
      expect(usage.byServer).toEqual(expect.arrayContaining([{ serverSlug: 'everything', calls: 5 }, { serverSlug: 'memory', calls: 1 }]));
      expect(usage.byTool).toEqual(expect.arrayContaining([{ tool: 'echo', calls: 4, errors: 0 }, { tool: 'get-sum', calls: 1, errors: 1 }]));
    });
  });

  describe('failing upstreams', () => {
    it('should time out a slow call with an error naming the server, and keep the session usable', async () => {
      const client = track(await connectStreamable(hub.url, 'main', key.secret));
      const started = Date.now();
      await expect(
        client.callTool({ name: 'everything__trigger-long-running-operation', arguments: { duration: 30, steps: 2 } }, undefined, { timeout: 20_000 }),
      ).rejects.toThrow(/Server "everything" did not answer tools\/call within 4000 ms/);
      expect(Date.now() - started).toBeLessThan(8_000);
      expect(text(await client.callTool({ name: 'memory__read_graph', arguments: {} }))).toContain('hub');
    });

    it('should fail in-flight calls clearly when the process dies, keep other servers, and restart it', async () => {
      const client = track(await connectStreamable(hub.url, 'main', key.secret));
      const pool = hub.app.get(UpstreamPool);
      await client.callTool({ name: 'everything__echo', arguments: { message: 'warm' } });
      const pid = pool.status(ids.everything)!.pid!;
      const inflight = client.callTool({ name: 'everything__trigger-long-running-operation', arguments: { duration: 3, steps: 3 } });
      await waitFor(() => pool.status(ids.everything)!.inFlight > 0, 5_000, 'the call to reach the upstream');
      process.kill(-pid, 'SIGKILL');
      await expect(inflight).rejects.toThrow(/Server "everything" closed the connection \(process killed by SIGKILL/);
      expect(text(await client.callTool({ name: 'memory__read_graph', arguments: {} }))).toContain('hub');
      await waitFor(() => pool.status(ids.everything)!.connected && pool.status(ids.everything)!.pid !== pid, 10_000, 'the restart');
      expect(text(await client.callTool({ name: 'everything__echo', arguments: { message: 'back' } }))).toContain('back');
    });
  });

  describe('live configuration', () => {
    it('should tell an open session its tool list changed when a server joins the group', async () => {
      await admin.data('mutation($id: ID!){ updateGroup(id: $id, input: { toolFilterMode: ALLOW, toolFilter: ["everything__echo", "memory__read_graph"] }){ id } }', { id: ids.filtered });
      const client = track(await connectStreamable(hub.url, 'filtered', key.secret));
      let changed = 0;
      client.setNotificationHandler(ToolListChangedNotificationSchema, async () => void changed++);
      // The SDK client opens its GET stream after initialize; wait until the hub sees it.
      const sessionId = (client.transport as { sessionId?: string }).sessionId!;
      await waitFor(() => hub.app.get(SessionRegistry).get(sessionId)?.standalone?.open, 5_000, 'the GET event stream');
      await admin.data('mutation($g: ID!, $s: ID!){ addServerToGroup(groupId: $g, serverId: $s){ id } }', { g: ids.filtered, s: ids.memory });
      await waitFor(() => changed > 0, 10_000, 'tools/list_changed');
      const names = await waitFor(async () => {
        const listed = (await client.listTools()).tools.map((t) => t.name).sort();
        return listed.length === 2 ? listed : undefined;
      }, 10_000, 'the new tool list');
      expect(names).toEqual(['everything__echo', 'memory__read_graph']);
    });
  });

  describe('process hygiene', () => {
    // The stdio pool and its process supervision are the same code in both deployments: the churn runs on one
    // (15-25 s each), as per-user-credentials' load does; every other case here runs on both.
    const onOneTarget = oneHubTargetRows('postgres+redis').some(([, t]) => t === target) ? it : it.skip;
    onOneTarget('should leave no zombie or extra process after 1,000 sessions open and close', async () => {
      const before = children().filter((c) => c.state !== 'Z').length;
      const init = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'churn', version: '1' } } });
      const list = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
      const auth = { authorization: `Bearer ${key.secret}` };
      for (let batch = 0; batch < 50; batch++) {
        await Promise.all(
          Array.from({ length: 20 }, async () => {
            const opened = await rawPost(`${hub.url}/mcp/main`, init, auth);
            const headers = { ...auth, 'mcp-session-id': opened.headers.get('mcp-session-id')! };
            expect((await rawPost(`${hub.url}/mcp/main`, list, headers)).status).toBe(200);
            await fetch(`${hub.url}/mcp/main`, { method: 'DELETE', headers });
          }),
        );
      }
      const after = children();
      expect(after.filter((c) => c.state.startsWith('Z'))).toEqual([]);
      expect(after.length).toBe(before);
    });
  });
});

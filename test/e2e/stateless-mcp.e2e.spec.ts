import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { QuotaService } from '#keys';
import { databaseTargets } from '../support/database-targets.js';
import { GraphQLClient } from '../support/graphql-client.js';
import { createGroup, createKey, registerServer } from '../support/hub-fixtures.js';
import { startHub, type RunningHub } from '../support/hub-app.js';
import { connectSse, connectStreamable, rawPost } from '../support/mcp-clients.js';
import { everythingStdio, memoryStdio } from '../support/upstreams.js';

const V = '2026-07-28';
const META = {
  'io.modelcontextprotocol/protocolVersion': V,
  'io.modelcontextprotocol/clientCapabilities': {},
  'io.modelcontextprotocol/clientInfo': { name: 'stateless-spec', version: '1.0.0' },
};

type Reply = Awaited<ReturnType<typeof rawPost>> & { json?: { id?: unknown; result?: Record<string, unknown>; error?: { code: number; message: string; data?: Record<string, unknown> } } };

describe('the 2026-07-28 stateless front-end on /mcp/{group}', () => {
  let hub: RunningHub;
  let admin: GraphQLClient;
  let key: string;
  const clients: Client[] = [];

  /** One stateless request, with the headers a 2026 client sends unless overridden. */
  const post = (method: string, params: Record<string, unknown> = {}, opts: { id?: number; meta?: unknown; headers?: Record<string, string>; secret?: string } = {}): Promise<Reply> => {
    const body: Record<string, unknown> = { ...params };
    if (opts.meta !== null) body._meta = opts.meta ?? META;
    const name = method === 'resources/read' ? params.uri : method === 'tools/call' || method === 'prompts/get' ? params.name : undefined;
    return rawPost(`${hub.url}/mcp/stateless`, JSON.stringify({ jsonrpc: '2.0', id: opts.id ?? 1, method, params: body }), {
      authorization: `Bearer ${opts.secret ?? key}`,
      'mcp-protocol-version': V,
      'mcp-method': method,
      ...(typeof name === 'string' ? { 'mcp-name': name } : {}),
      ...opts.headers,
    }) as Promise<Reply>;
  };

  beforeAll(async () => {
    hub = await startHub(databaseTargets[0]);
    admin = new GraphQLClient(hub.url);
    await admin.login('admin@example.com', 'admin-password-123');
    const everything = await registerServer(admin, { name: 'everything', transport: 'STDIO', ...everythingStdio() });
    const group = await createGroup(admin, 'stateless', [everything.id]);
    await admin.data('mutation($i: CreateRoutingRuleInput!){ createRoutingRule(input: $i){ id } }', {
      i: { groupId: group.id, name: 'no sums', priority: 1, conditions: { tool: { glob: '*get-sum' } }, action: { type: 'DENY', message: 'sums are off' } },
    });
    key = (await createKey(admin)).secret;
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await hub?.close();
  });

  it('should answer server/discover with both eras, capabilities, caching hints and its identity', async () => {
    const res = await post('server/discover', {}, { id: 7 });
    expect(res.status).toBe(200);
    expect(res.json?.id).toBe(7);
    const result = res.json!.result!;
    expect(result.supportedVersions).toEqual(expect.arrayContaining([V, '2025-11-25']));
    expect(result.capabilities).toMatchObject({ tools: { listChanged: true }, prompts: {}, resources: {} });
    expect(result).toMatchObject({ resultType: 'complete', ttlMs: 0, cacheScope: 'private' });
    expect(result._meta).toMatchObject({ 'io.modelcontextprotocol/serverInfo': { name: 'mcp-hub/stateless', version: expect.any(String) } });
  });

  it('should refuse a request whose _meta lacks what the revision requires, with 400, -32602 and the request id', async () => {
    for (const [meta, missing] of [
      [null, /_meta/],
      [{ 'io.modelcontextprotocol/clientCapabilities': {} }, /protocolVersion/],
      [{ 'io.modelcontextprotocol/protocolVersion': V }, /clientCapabilities/],
    ] as const) {
      const res = await post('tools/list', {}, { id: 41, meta });
      expect({ status: res.status, id: res.json?.id, code: res.json?.error?.code }).toEqual({ status: 400, id: 41, code: -32602 });
      expect(res.json?.error?.message).toMatch(missing);
    }
    // clientInfo is a SHOULD: its absence is served.
    const { 'io.modelcontextprotocol/clientInfo': _, ...noInfo } = META;
    expect((await post('tools/list', {}, { meta: noInfo })).status).toBe(200);
  });

  it('should refuse headers that disagree with the body (-32020) and versions it does not serve (-32022)', async () => {
    const mismatch = await post('server/discover', {}, { id: 3, meta: { ...META, 'io.modelcontextprotocol/protocolVersion': 'v999.0.0' } });
    expect({ status: mismatch.status, id: mismatch.json?.id, code: mismatch.json?.error?.code }).toEqual({ status: 400, id: 3, code: -32020 });
    const method = await post('tools/list', {}, { headers: { 'mcp-method': 'prompts/list' } });
    expect({ status: method.status, code: method.json?.error?.code }).toEqual({ status: 400, code: -32020 });
    // The standard headers are required, not only checked when present (SEP-2243).
    const noName = await rawPost(`${hub.url}/mcp/stateless`, JSON.stringify({ jsonrpc: '2.0', id: 8, method: 'tools/call', params: { name: 'everything__echo', arguments: { message: 'x' }, _meta: META } }), {
      authorization: `Bearer ${key}`,
      'mcp-protocol-version': V,
      'mcp-method': 'tools/call',
    });
    expect({ status: noName.status, id: (noName.json as { id?: unknown })?.id, code: noName.json?.error?.code }).toEqual({ status: 400, id: 8, code: -32020 });
    const name = await post('tools/call', { name: 'everything__echo', arguments: { message: 'x' } }, { headers: { 'mcp-name': 'everything__add' } });
    expect({ status: name.status, code: name.json?.error?.code }).toEqual({ status: 400, code: -32020 });
    const unsupported = await post('server/discover', {}, { id: 4, meta: { ...META, 'io.modelcontextprotocol/protocolVersion': 'v999.0.0' }, headers: { 'mcp-protocol-version': 'v999.0.0' } });
    expect({ status: unsupported.status, id: unsupported.json?.id, code: unsupported.json?.error?.code }).toEqual({ status: 400, id: 4, code: -32022 });
    expect(unsupported.json?.error?.data).toEqual({ requested: 'v999.0.0', supported: expect.arrayContaining([V]) });
  });

  it('should answer the removed session methods and unknown methods with 404 and -32601', async () => {
    for (const method of ['initialize', 'ping', 'logging/setLevel', 'resources/subscribe', 'resources/unsubscribe', 'unknown/method']) {
      const res = await post(method, { uri: 'x', level: 'info' }, { id: 500 });
      expect({ method, status: res.status, id: res.json?.id, code: res.json?.error?.code }).toEqual({ method, status: 404, id: 500, code: -32601 });
    }
  });

  it('should list and call tools with resultType, its identity and caching hints no wider than its upstreams allowed', async () => {
    const list = await post('tools/list');
    expect(list.status).toBe(200);
    const result = list.json!.result!;
    expect((result.tools as { name: string }[]).map((t) => t.name)).toContain('everything__echo');
    // server-everything is a 2025-era server: it allowed no caching, so neither does the hub.
    expect(result).toMatchObject({ resultType: 'complete', ttlMs: 0, cacheScope: 'private' });
    expect(result._meta).toMatchObject({ 'io.modelcontextprotocol/serverInfo': { name: 'mcp-hub/stateless' } });
    const call = await post('tools/call', { name: 'everything__echo', arguments: { message: 'stateless hello' } }, { headers: { 'mcp-name': 'everything__echo' } });
    expect(call.status).toBe(200);
    expect(call.json?.result).toMatchObject({ resultType: 'complete', content: [{ type: 'text', text: expect.stringContaining('stateless hello') }] });
  });

  it('should keep 2025-era sessions working on the same URL, and echo the id of a sessionless 2025 request it refuses', async () => {
    const client = await connectStreamable(hub.url, 'stateless', key);
    clients.push(client);
    expect((await client.listTools()).tools.map((t) => t.name)).toContain('everything__echo');
    const res = await rawPost(`${hub.url}/mcp/stateless`, JSON.stringify({ jsonrpc: '2.0', id: 'abc', method: 'tools/list', params: {} }), { authorization: `Bearer ${key}` });
    expect({ status: res.status, id: (res.json as { id?: unknown })?.id }).toEqual({ status: 400, id: 'abc' });
    expect(res.json?.error?.message).toMatch(/Missing session id/);
  });

  describe('multi-round requests (InputRequiredResult) in front of a 2025-era server', () => {
    const withElicitation = { ...META, 'io.modelcontextprotocol/clientCapabilities': { elicitation: {} } };
    const ask = { name: 'everything__trigger-elicitation-request', arguments: {} };

    it('should turn the server\'s elicitation/create into an InputRequiredResult and finish the call with the answer', async () => {
      const first = await post('tools/call', ask, { meta: withElicitation });
      expect(first.status).toBe(200);
      const round = first.json!.result as { resultType: string; inputRequests: Record<string, { method: string; params: { message?: string } }>; requestState: string };
      expect(round.resultType).toBe('input_required');
      const [[inputKey, question]] = Object.entries(round.inputRequests);
      expect(question.method).toBe('elicitation/create');
      const answer = { action: 'accept', content: { name: 'Ada' } };
      const second = await post('tools/call', { ...ask, inputResponses: { [inputKey]: answer }, requestState: round.requestState }, { meta: withElicitation });
      expect(second.json?.result).toMatchObject({ resultType: 'complete' });
      expect(JSON.stringify(second.json?.result)).toContain('Name: Ada');
    });

    it('should answer -32021 naming the capability when the agent did not declare it', async () => {
      const res = await post('tools/call', ask, { id: 77 });
      expect({ status: res.status, id: res.json?.id, code: res.json?.error?.code }).toEqual({ status: 400, id: 77, code: -32021 });
      expect(res.json?.error?.data).toEqual({ requiredCapabilities: { elicitation: {} } });
    });

    it('should refuse a requestState that was altered, or issued to another key or for another call', async () => {
      const first = await post('tools/call', ask, { meta: withElicitation });
      const { requestState } = first.json!.result as { requestState: string };
      const answers = { 'input-1': { action: 'decline' } };
      const tampered = await post('tools/call', { ...ask, inputResponses: answers, requestState: `${requestState}-TAMPERED` }, { meta: withElicitation });
      expect(tampered.json?.error?.code).toBe(-32602);
      const flipped = requestState.slice(0, 10) + (requestState[10] === 'A' ? 'B' : 'A') + requestState.slice(11);
      expect((await post('tools/call', { ...ask, inputResponses: answers, requestState: flipped }, { meta: withElicitation })).json?.error?.code).toBe(-32602);
      const otherKey = (await createKey(admin)).secret;
      expect((await post('tools/call', { ...ask, inputResponses: answers, requestState }, { meta: withElicitation, secret: otherKey })).json?.error?.code).toBe(-32602);
      expect((await post('tools/call', { name: 'everything__echo', arguments: { message: 'x' }, inputResponses: answers, requestState }, { meta: withElicitation })).json?.error?.code).toBe(-32602);
      // The genuine state still finishes the call.
      const done = await post('tools/call', { ...ask, inputResponses: answers, requestState }, { meta: withElicitation });
      expect(JSON.stringify(done.json?.result)).toContain('declined');
    });
  });

  describe('subscriptions/listen', () => {
    /** Opens a listen stream and collects its events until `until` holds (or the deadline passes). */
    async function listen(filter: Record<string, unknown>, id: number, during: () => Promise<void>, until: (events: Record<string, any>[]) => boolean) {
      const abort = new AbortController();
      const res = await fetch(`${hub.url}/mcp/stateless`, {
        method: 'POST',
        signal: abort.signal,
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${key}`, 'mcp-protocol-version': V, 'mcp-method': 'subscriptions/listen' },
        body: JSON.stringify({ jsonrpc: '2.0', id, method: 'subscriptions/listen', params: { _meta: META, notifications: filter } }),
      });
      expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
      const events: Record<string, any>[] = [];
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      let triggered = false;
      const deadline = setTimeout(() => abort.abort(), 10_000);
      try {
        while (!until(events)) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          for (let i; (i = buffer.indexOf('\n\n')) >= 0; ) {
            const data = buffer.slice(0, i).split('\n').find((l) => l.startsWith('data: '));
            buffer = buffer.slice(i + 2);
            if (data) events.push(JSON.parse(data.slice(6)));
          }
          if (events.length && !triggered) {
            triggered = true;
            await during();
          }
        }
      } catch (error) {
        if (!abort.signal.aborted) throw error;
      } finally {
        clearTimeout(deadline);
        abort.abort();
      }
      return events;
    }

    it('should acknowledge first, then deliver the group\'s list changes it asked for, stamped with the subscription id', async () => {
      const memory = await registerServer(admin, { name: 'memory-listen', transport: 'STDIO', ...memoryStdio() });
      const { groups } = await admin.data<{ groups: { id: string; slug: string }[] }>('{ groups { id slug } }');
      const groupId = groups.find((g) => g.slug === 'stateless')!.id;
      const events = await listen(
        { toolsListChanged: true, unknownKind: true },
        31,
        async () => void (await admin.data('mutation($g: ID!, $s: ID!){ addServerToGroup(groupId: $g, serverId: $s){ id } }', { g: groupId, s: memory.id })),
        (e) => e.some((m) => m.method === 'notifications/tools/list_changed'),
      );
      expect(events[0]).toMatchObject({ method: 'notifications/subscriptions/acknowledged', params: { notifications: { toolsListChanged: true }, _meta: { 'io.modelcontextprotocol/subscriptionId': 31 } } });
      expect(events[0].params.notifications).toEqual({ toolsListChanged: true });
      const change = events.find((m) => m.method === 'notifications/tools/list_changed');
      expect(change?.params?._meta).toEqual({ 'io.modelcontextprotocol/subscriptionId': 31 });
      // Only the kinds asked for.
      expect(events.filter((m) => m.method !== 'notifications/subscriptions/acknowledged' && m.method !== 'notifications/tools/list_changed')).toEqual([]);
      await admin.data('mutation($g: ID!, $s: ID!){ removeServerFromGroup(groupId: $g, serverId: $s){ id } }', { g: groupId, s: memory.id });
    });

    it('should refuse a listen request without a filter', async () => {
      const res = await post('subscriptions/listen', {}, { id: 12 });
      expect({ id: res.json?.id, code: res.json?.error?.code }).toEqual({ id: 12, code: -32602 });
    });
  });

  describe('quota: only calls that will be forwarded are charged, in every front-end', () => {
    // The hub charges with the wall clock; freeze it mid-minute so no count straddles a minute boundary.
    let restoreClock: () => void;
    beforeAll(() => {
      const quotas = hub.app.get(QuotaService);
      const charge = quotas.charge;
      const frozen = Math.floor(Date.now() / 60_000) * 60_000 + 30_000;
      quotas.charge = (keyId, limits, now) => charge.call(quotas, keyId, limits, now ?? frozen);
      restoreClock = () => void (quotas.charge = charge);
    });
    afterAll(() => restoreClock?.());

    const refusedCalls = [
      { name: 'everything__no-such-tool', arguments: {} },
      { name: 'everything__get-sum', arguments: { a: 1, b: 2 } }, // denied by a routing rule
    ];

    it('stateless: unknown tools and denied calls cost nothing; the third forwarded call gets 429', async () => {
      const secret = (await createKey(admin, { perMinute: 2 })).secret;
      for (let i = 0; i < 3; i++) for (const call of refusedCalls) expect((await post('tools/call', call, { secret })).json?.error).toBeDefined();
      expect((await post('tools/call', { name: 'everything__echo', arguments: { message: '1' } }, { secret })).status).toBe(200);
      expect((await post('tools/call', { name: 'everything__echo', arguments: { message: '2' } }, { secret })).status).toBe(200);
      const over = await post('tools/call', { name: 'everything__echo', arguments: { message: '3' } }, { secret, id: 9 });
      expect({ status: over.status, id: over.json?.id, code: over.json?.error?.code }).toEqual({ status: 429, id: 9, code: -32029 });
      expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    });

    it('Streamable HTTP session: the same', async () => {
      const secret = (await createKey(admin, { perMinute: 2 })).secret;
      const client = await connectStreamable(hub.url, 'stateless', secret);
      clients.push(client);
      for (let i = 0; i < 3; i++) for (const call of refusedCalls) await expect(client.callTool(call)).rejects.toThrow(/Unknown tool|Denied by routing rule/);
      await client.callTool({ name: 'everything__echo', arguments: { message: '1' } });
      await client.callTool({ name: 'everything__echo', arguments: { message: '2' } });
      await expect(client.callTool({ name: 'everything__echo', arguments: { message: '3' } })).rejects.toThrow(/Rate limit exceeded/);
      const sessionId = (client.transport as { sessionId?: string }).sessionId!;
      const raw = await rawPost(`${hub.url}/mcp/stateless`, JSON.stringify({ jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: 'everything__echo', arguments: { message: 'x' } } }), {
        authorization: `Bearer ${secret}`,
        'mcp-session-id': sessionId,
      });
      expect(raw.status).toBe(429);
    });

    it('legacy SSE: the same, the refusal travelling on the stream', async () => {
      const secret = (await createKey(admin, { perMinute: 2 })).secret;
      const client = await connectSse(hub.url, 'stateless', secret);
      clients.push(client);
      for (let i = 0; i < 3; i++) for (const call of refusedCalls) await expect(client.callTool(call)).rejects.toThrow(/Unknown tool|Denied by routing rule/);
      await client.callTool({ name: 'everything__echo', arguments: { message: '1' } });
      await client.callTool({ name: 'everything__echo', arguments: { message: '2' } });
      await expect(client.callTool({ name: 'everything__echo', arguments: { message: '3' } })).rejects.toThrow(/Rate limit exceeded/);
    });

    it('a request on another key\'s session is refused without charging the caller', async () => {
      const owner = await connectStreamable(hub.url, 'stateless', key);
      clients.push(owner);
      const secret = (await createKey(admin, { perMinute: 1 })).secret;
      const foreign = await rawPost(`${hub.url}/mcp/stateless`, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'everything__echo', arguments: { message: 'x' } } }), {
        authorization: `Bearer ${secret}`,
        'mcp-session-id': (owner.transport as { sessionId?: string }).sessionId!,
      });
      expect(foreign.status).toBe(403);
      expect((await post('tools/call', { name: 'everything__echo', arguments: { message: 'mine' } }, { secret })).status).toBe(200);
    });
  });
});

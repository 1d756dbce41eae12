import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { request } from 'node:http';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SessionRegistry } from '#mcp-gateway';
import { databaseTargets } from '../support/database-targets.js';
import { GraphQLClient } from '../support/graphql-client.js';
import { createGroup, createKey, registerServer } from '../support/hub-fixtures.js';
import { startHub, type RunningHub } from '../support/hub-app.js';
import { connectSse, connectStreamable, rawPost } from '../support/mcp-clients.js';
import { everythingStdio, waitFor } from '../support/upstreams.js';

const INIT = (id: number | string) =>
  JSON.stringify({ jsonrpc: '2.0', id, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });
const ping = (id: number) => JSON.stringify({ jsonrpc: '2.0', id, method: 'ping' });

/** A request with a Host header of the test's choosing (fetch does not let one set Host), sent to the loopback hub. */
function withHost(hubUrl: string, path: string, host: string, method = 'POST', body = ping(1)): Promise<{ status: number; json: { error?: { message: string } } | undefined }> {
  const url = new URL(path, hubUrl);
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: { host, 'content-type': 'application/json', accept: 'application/json, text/event-stream' } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => (text += c));
      res.on('end', () => {
        let json;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, json });
      });
    });
    req.on('error', reject);
    req.end(method === 'POST' ? body : undefined);
  });
}

/** The legacy SSE stream of one session, read raw: every event text it has received so far. */
async function openRawSse(hubUrl: string, group: string, secret: string) {
  const res = await fetch(`${hubUrl}/sse/${group}`, { headers: { authorization: `Bearer ${secret}`, accept: 'text/event-stream' } });
  let received = '';
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  void (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      received += decoder.decode(value, { stream: true });
    }
  })();
  const endpoint = await waitFor(() => /event: endpoint\ndata: (\S+)/.exec(received)?.[1], 10_000, 'the endpoint event');
  return { endpoint, received: () => received, close: () => reader.cancel().catch(() => undefined) };
}

describe('MCP endpoint guards: sessions per key, quota refusals on SSE, Host header', () => {
  let hub: RunningHub;
  let admin: GraphQLClient;
  const clients: Client[] = [];

  beforeAll(async () => {
    hub = await startHub(databaseTargets[0], {
      MCP_MAX_SESSIONS_PER_KEY: '2',
      PUBLIC_URL: 'https://hub.example.com',
      ALLOWED_HOSTS: 'mcp.internal, other.example:8443',
    });
    admin = new GraphQLClient(hub.url);
    await admin.login('admin@example.com', 'admin-password-123');
    const everything = await registerServer(admin, { name: 'Everything', slug: 'everything', transport: 'STDIO', ...everythingStdio() });
    await createGroup(admin, 'g', [everything.id]);
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await hub?.close();
  });

  describe('sessions per key (MCP_MAX_SESSIONS_PER_KEY=2)', () => {
    it('should close the least recently used idle session of a key at the cap', async () => {
      const { secret, id } = await createKey(admin);
      const auth = { authorization: `Bearer ${secret}` };
      const open = async (n: number) => (await rawPost(`${hub.url}/mcp/g`, INIT(n), auth)).headers.get('mcp-session-id')!;
      const use = (session: string, n: number) => rawPost(`${hub.url}/mcp/g`, ping(n), { ...auth, 'mcp-session-id': session, 'mcp-protocol-version': '2025-06-18' });
      const first = await open(1);
      const second = await open(2);
      expect((await use(first, 3)).status).toBe(200); // `second` is now the least recently used
      const third = await open(4);
      expect(third).toBeTruthy();
      expect((await use(second, 5)).status).toBe(404);
      expect((await use(first, 6)).status).toBe(200);
      expect((await use(third, 7)).status).toBe(200);
      expect(hub.app.get(SessionRegistry).countOf(id)).toBe(2);
    });

    it('should refuse a new session with 429 naming the limit when every session of the key is busy, on both front-ends', async () => {
      const { secret } = await createKey(admin);
      // SDK clients keep a GET stream open: those sessions are not idle.
      const a = await connectStreamable(hub.url, 'g', secret);
      const b = await connectSse(hub.url, 'g', secret);
      clients.push(a, b);
      const refused = await rawPost(`${hub.url}/mcp/g`, INIT('init-3'), { authorization: `Bearer ${secret}` });
      expect(refused.status).toBe(429);
      expect(refused.json).toMatchObject({ id: 'init-3', error: { code: -32029 } });
      expect(refused.json?.error?.message).toMatch(/limit is 2 per key \(MCP_MAX_SESSIONS_PER_KEY\)/);
      const sse = await fetch(`${hub.url}/sse/g`, { headers: { authorization: `Bearer ${secret}` } });
      expect(sse.status).toBe(429);
      expect(((await sse.json()) as { error: { message: string } }).error.message).toMatch(/MCP_MAX_SESSIONS_PER_KEY/);
      // Other keys are not affected; ending a session makes room.
      const other = await connectStreamable(hub.url, 'g', (await createKey(admin)).secret);
      clients.push(other);
      await a.close();
      const again = await connectStreamable(hub.url, 'g', secret);
      clients.push(again);
      expect(await again.ping()).toEqual({});
    });
  });

  describe('quota refusals on the legacy SSE transport', () => {
    it("should not write one key's over-quota refusal to another key's session", async () => {
      const victim = await createKey(admin, { perMinute: 5 });
      const attacker = await createKey(admin, { perMinute: 1 });
      const stream = await openRawSse(hub.url, 'g', victim.secret);
      const post = (secret: string, id: string) =>
        rawPost(new URL(stream.endpoint, hub.url).toString(), JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'everything__echo', arguments: { message: id } } }), {
          authorization: `Bearer ${secret}`,
        });
      const first = await post(attacker.secret, 'probe-1');
      const second = await post(attacker.secret, 'probe-2'); // over the attacker's quota
      expect([first.status, second.status]).toEqual([403, 403]);
      expect(second.json?.error?.message).toMatch(/belongs to another API key/);
      // The victim's own call arrives after anything the attacker's requests could have written.
      expect((await post(victim.secret, 'mine')).status).toBe(202);
      await waitFor(() => stream.received().includes('"id":"mine"'), 10_000, "the victim's own answer");
      expect(stream.received()).not.toMatch(/probe-/);
      await stream.close();
    });
  });

  describe('Host header (DNS-rebinding protection)', () => {
    it('should refuse an unknown Host with 403 naming ALLOWED_HOSTS, before authentication', async () => {
      for (const [path, method] of [
        ['/mcp/g', 'POST'],
        ['/sse/g', 'GET'],
        ['/sse/g/message?sessionId=x', 'POST'],
      ]) {
        const res = await withHost(hub.url, path, 'evil.example', method);
        expect(res.status).toBe(403);
        expect(res.json?.error?.message).toMatch(/Host "evil.example" is not allowed.*ALLOWED_HOSTS/);
      }
      expect((await withHost(hub.url, '/mcp/g', 'other.example:9999')).status).toBe(403);
      expect((await withHost(hub.url, '/mcp/g', 'hub.example.com:8080')).status).toBe(403);
    });

    it("should accept PUBLIC_URL's host, loopback names on any port and ALLOWED_HOSTS entries (then ask for a key)", async () => {
      for (const host of ['hub.example.com', 'hub.example.com:443', 'HUB.example.com', 'localhost:1234', '127.0.0.1:80', '[::1]:3000', 'mcp.internal:7000', 'other.example:8443']) {
        const res = await withHost(hub.url, '/mcp/g', host);
        expect({ host, status: res.status }).toEqual({ host, status: 401 });
      }
    });
  });
});

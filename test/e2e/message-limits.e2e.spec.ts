import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { UpstreamPool } from '#mcp-gateway';
import { databaseTargets } from '../support/database-targets.js';
import { GraphQLClient } from '../support/graphql-client.js';
import { createGroup, createKey, registerServer } from '../support/hub-fixtures.js';
import { startHub, type RunningHub } from '../support/hub-app.js';
import { connectSse, connectStreamable, rawPost } from '../support/mcp-clients.js';
import { STDIO_SCRIPT, startOversizedSse, startOversizedStreamableHttp, startRefusingPingServer, type LoopbackServer } from '../support/oversized-upstreams.js';
import { everythingStdio, waitFor } from '../support/upstreams.js';

type ToolResult = { content: { type: string; text?: string }[] };
const text = (r: unknown) => (r as ToolResult).content.map((c) => c.text ?? '').join('');

const LIMIT = 1024 * 1024;
const BIG = 2 * 1024 * 1024;
// Past the SDK ReadBuffer's own 10 MiB, which threw inside the stdout handler and ended the hub process.
const ENDLESS = 12_000_000;
const tooLarge = (server: string) => new RegExp(`Server "${server}" sent a message larger than the limit of ${LIMIT} bytes \\(UPSTREAM_MAX_MESSAGE_BYTES\\)`);

describe('message size limits and broken upstream streams (real stdio process, loopback HTTP and SSE upstreams)', () => {
  let hub: RunningHub;
  let admin: GraphQLClient;
  let key: string;
  let dir: string;
  let http: LoopbackServer;
  let sse: LoopbackServer & { streamsOpened: () => number };
  let refusing: LoopbackServer & { refusedAnswers: () => number };
  const ids: Record<string, string> = {};
  const clients: Client[] = [];
  const connect = async (group: string, front: 'streamable' | 'sse' = 'streamable') => {
    const client = await (front === 'sse' ? connectSse : connectStreamable)(hub.url, group, key);
    clients.push(client);
    return client;
  };
  const call = (client: Client, name: string) => client.callTool({ name, arguments: {} });
  const alive = async () => (await fetch(`${hub.url}/health/live`)).status === 200;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mcp-limits-'));
    writeFileSync(join(dir, 'oversized.cjs'), STDIO_SCRIPT);
    [http, sse, refusing] = await Promise.all([startOversizedStreamableHttp(BIG), startOversizedSse(BIG), startRefusingPingServer()]);
    hub = await startHub(databaseTargets[0], { UPSTREAM_MAX_MESSAGE_BYTES: String(LIMIT), UPSTREAM_REQUEST_TIMEOUT_MS: '20000' });
    admin = new GraphQLClient(hub.url);
    await admin.login('admin@example.com', 'admin-password-123');
    const env = [
      { name: 'BIG_BYTES', value: String(BIG) },
      { name: 'ENDLESS_BYTES', value: String(ENDLESS) },
    ];
    ids.stdio = (await registerServer(admin, { name: 'Oversized', slug: 'oversized', transport: 'STDIO', command: process.execPath, args: [join(dir, 'oversized.cjs')], env })).id;
    ids.everything = (await registerServer(admin, { name: 'Everything', slug: 'everything', transport: 'STDIO', ...everythingStdio() })).id;
    ids.http = (await registerServer(admin, { name: 'Big HTTP', slug: 'big-http', transport: 'STREAMABLE_HTTP', url: http.url })).id;
    ids.sse = (await registerServer(admin, { name: 'Big SSE', slug: 'big-sse', transport: 'SSE', url: sse.url })).id;
    ids.refusing = (await registerServer(admin, { name: 'Refusing', slug: 'refusing', transport: 'STREAMABLE_HTTP', url: refusing.url })).id;
    await createGroup(admin, 'limits', [ids.stdio, ids.everything, ids.http, ids.sse]);
    await createGroup(admin, 'refusing', [ids.refusing]);
    key = (await createKey(admin)).secret;
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await hub?.close();
    await Promise.all([http?.close(), sse?.close(), refusing?.close()]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('should fail only the call answered by an oversized stdio line, resynchronise and keep the process', async () => {
    const client = await connect('limits');
    const pid = text(await call(client, 'oversized__small'));
    await expect(call(client, 'oversized__big')).rejects.toThrow(tooLarge('oversized'));
    expect(await alive()).toBe(true);
    // Same process (resynchronised at the newline), and the other server never noticed.
    expect(text(await call(client, 'oversized__small'))).toBe(pid);
    expect(text(await client.callTool({ name: 'everything__echo', arguments: { message: 'fine' } }))).toContain('fine');
  });

  it('should restart a stdio server whose oversized line never ends, failing the call with the limit', async () => {
    const client = await connect('limits');
    const before = text(await call(client, 'oversized__small'));
    const other = client.callTool({ name: 'everything__echo', arguments: { message: 'meanwhile' } });
    await expect(call(client, 'oversized__endless')).rejects.toThrow(tooLarge('oversized'));
    expect(text(await other)).toContain('meanwhile');
    expect(await alive()).toBe(true);
    const after = await waitFor(async () => text(await call(client, 'oversized__small')), 15_000, 'the restarted server to answer');
    expect(after).toMatch(/^pid \d+$/);
    expect(after).not.toBe(before);
    const status = hub.app.get(UpstreamPool).status(ids.stdio);
    expect(status?.connected).toBe(true);
  });

  it('should fail a Streamable HTTP call whose JSON body or SSE event is over the limit and keep the upstream', async () => {
    const client = await connect('limits');
    await expect(call(client, 'big-http__big')).rejects.toThrow(tooLarge('big-http'));
    await expect(call(client, 'big-http__big-sse')).rejects.toThrow(tooLarge('big-http'));
    expect(text(await call(client, 'big-http__small'))).toBe('ok');
    expect(text(await client.callTool({ name: 'everything__echo', arguments: { message: 'fine' } }))).toContain('fine');
    expect(await alive()).toBe(true);
  });

  it('should fail only the call whose Streamable HTTP answer is cut off mid-body (JSON or SSE), at once', async () => {
    const client = await connect('limits');
    const started = Date.now();
    await expect(call(client, 'big-http__reset-sse')).rejects.toThrow(/Server "big-http" broke off its answer/);
    await expect(call(client, 'big-http__reset-json')).rejects.toThrow(/Server "big-http" broke off its answer/);
    expect(Date.now() - started).toBeLessThan(10_000); // not the 20 s request timeout
    expect(await alive()).toBe(true);
    expect(text(await call(client, 'big-http__small'))).toBe('ok');
  });

  it('should survive an upstream that refuses the answer to its own ping (no unhandled rejection)', async () => {
    const client = await connect('refusing');
    expect(text(await call(client, 'refusing__small'))).toBe('ok');
    await waitFor(() => refusing.refusedAnswers() > 0, 10_000, 'the hub to answer the upstream ping');
    // Let a rejected fire-and-forget promise surface, then check the hub still serves.
    await new Promise((resolve) => setImmediate(resolve));
    expect(await alive()).toBe(true);
    expect(text(await call(client, 'refusing__small'))).toBe('ok');
  });

  it('should fail an SSE upstream call whose event is over the limit, then reconnect', async () => {
    const client = await connect('limits', 'sse');
    expect(text(await call(client, 'big-sse__small'))).toBe('ok');
    const opened = sse.streamsOpened();
    await expect(call(client, 'big-sse__big')).rejects.toThrow(tooLarge('big-sse'));
    expect(await alive()).toBe(true);
    expect(text(await waitFor(() => call(client, 'big-sse__small'), 15_000, 'the SSE upstream to reconnect'))).toBe('ok');
    expect(sse.streamsOpened()).toBeGreaterThan(opened);
    expect(text(await client.callTool({ name: 'everything__echo', arguments: { message: 'fine' } }))).toContain('fine');
  });

  it('should refuse an agent request body over the limit with 413 and a JSON-RPC error naming it', async () => {
    const res = await rawPost(`${hub.url}/mcp/limits`, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping', params: { pad: 'x'.repeat(LIMIT + 10) } }), {
      authorization: `Bearer ${key}`,
    });
    expect(res.status).toBe(413);
    expect(res.json?.error?.message).toBe(`Request body exceeds the limit of ${LIMIT} bytes (UPSTREAM_MAX_MESSAGE_BYTES)`);
    // Just under the bound is read (and answered as the request it is: no session).
    const ok = await rawPost(`${hub.url}/mcp/limits`, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping', params: { pad: 'x'.repeat(LIMIT - 100) } }), {
      authorization: `Bearer ${key}`,
    });
    expect(ok.status).toBe(400);
    expect(ok.json?.error?.message).toMatch(/Missing session id/);
  });
});

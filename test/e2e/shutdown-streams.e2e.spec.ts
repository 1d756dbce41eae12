import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { queryDatabase } from '../support/database-query.js';
import { databaseTargets } from '../support/database-targets.js';
import { GraphQLClient } from '../support/graphql-client.js';
import { createGroup, createKey, registerServer } from '../support/hub-fixtures.js';
import { startHub, type RunningHub } from '../support/hub-app.js';
import { connectStreamable } from '../support/mcp-clients.js';
import { everythingStdio, waitFor } from '../support/upstreams.js';
import { recordedCalls } from '../support/usage-load.js';

/** An SSE response whose body is read as it comes; `ended` turns true when the hub ends it. */
async function openStream(url: string, headers: Record<string, string>) {
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers } });
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  const state = { text: '', ended: false };
  void (async () => {
    for (;;) {
      const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (done) break;
      state.text += new TextDecoder().decode(value);
    }
    state.ended = true;
  })();
  return state;
}

/**
 * A hub that stops (SIGTERM in a rolling deploy: Nest's close) ends the agents' event streams at once. Stopping the
 * HTTP server waits for every open connection, and Apollo's drain cut them only after 10 s: a hub with one agent
 * connected took 10 s to stop, and calls in flight were cut with the streams.
 */
describe('shutdown with agents connected', () => {
  let hub: RunningHub;
  let secret: string;
  let closed = false;

  beforeAll(async () => {
    hub = await startHub(databaseTargets[0]);
    const admin = new GraphQLClient(hub.url);
    await admin.login('admin@example.com', 'admin-password-123');
    await createGroup(admin, 'quiet', []);
    ({ secret } = await createKey(admin));
  });
  afterAll(async () => {
    if (!closed) await hub?.close();
  });

  it("should end a Streamable HTTP agent's GET stream and a legacy SSE stream first, and stop without waiting for them", async () => {
    const auth = { authorization: `Bearer ${secret}` };
    const post = (body: unknown, extra: Record<string, string> = {}) =>
      fetch(`${hub.url}/mcp/quiet`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...auth, ...extra }, body: JSON.stringify(body) });
    const init = await post({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'shutdown', version: '1' } } });
    const sessionId = init.headers.get('mcp-session-id')!;
    await init.text();
    expect((await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, { 'mcp-session-id': sessionId })).status).toBe(202);
    const getStream = await openStream(`${hub.url}/mcp/quiet`, { ...auth, 'mcp-session-id': sessionId });
    const legacyStream = await openStream(`${hub.url}/sse/quiet`, auth);
    await waitFor(() => legacyStream.text.includes('event: endpoint'), 5_000, 'the legacy endpoint event');

    const stopping = hub.close().then(() => (closed = true));
    await waitFor(() => getStream.ended && legacyStream.ended, 5_000, 'both streams to be ended by the hub');
    // Apollo's drain waits 10 s for connections still open: well before that, the hub has stopped.
    const outcome = await Promise.race([stopping.then(() => 'stopped'), new Promise((r) => setTimeout(r, 5_000, 'still stopping'))]);
    expect(outcome).toBe('stopped');
  });
});

/**
 * An embedded hub holds the usage of answered calls, and its keys' last use, in memory between flushes, and writes
 * both when it stops. Its database must still be open then: the flushes' place among the shutdown hooks is what this
 * guards.
 */
describe('shutdown with usage not yet written (embedded)', () => {
  it('should write the usage and the key last use it holds before its database closes', async () => {
    const hub = await startHub(databaseTargets[0], { USAGE_FLUSH_INTERVAL_MS: '60000' });
    try {
      const admin = new GraphQLClient(hub.url);
      await admin.login('admin@example.com', 'admin-password-123');
      const server = await registerServer(admin, { name: 'Everything', transport: 'STDIO', ...everythingStdio() });
      await createGroup(admin, 'counted', [server.id]);
      const key = await createKey(admin);
      const agent = await connectStreamable(hub.url, 'counted', key.secret);
      for (let i = 0; i < 5; i++) await agent.callTool({ name: 'everything__echo', arguments: { message: `call ${i}` } });
      await agent.close();

      await hub.stop();
      expect(await recordedCalls(hub.config.databaseUrl!, key.id)).toBe(5);
      const [{ last_used_at: lastUsedAt }] = await queryDatabase<{ last_used_at: Date | null }>(hub.config.databaseUrl!, 'SELECT last_used_at FROM api_keys WHERE id = $1', [key.id]);
      expect(lastUsedAt).toBeInstanceOf(Date);
    } finally {
      await hub.close();
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { RpcCode, RpcError, type JsonRpcNotification } from '../../libs/mcp-gateway/src/protocol/json-rpc.js';
import { StatelessUpstreamConnection } from '../../libs/mcp-gateway/src/upstream/stateless-upstream-connection.js';
import { StreamableHttpUpstreamTransport } from '../../libs/mcp-gateway/src/upstream/streamable-http-upstream.transport.js';
import type { UpstreamEvents } from '../../libs/mcp-gateway/src/upstream/upstream-connection.js';
import { startStatelessUpstream, type StatelessUpstream } from '../support/stateless-upstream.js';
import { waitFor } from '../support/upstreams.js';

const LIMIT = 64 * 1024;
const identity = { serverId: 's', replicaId: 's', slug: 'modern' };

/** The 2026-07-28 upstream connection against a real SDK v2 server on loopback, through the gateway's HTTP client. */
describe(StatelessUpstreamConnection.name, () => {
  let upstream: StatelessUpstream;
  let connection: StatelessUpstreamConnection;
  const notifications: JsonRpcNotification[] = [];
  const events: UpstreamEvents = { onNotification: (_c, m) => void notifications.push(m), onRequest: () => undefined, onLost: () => undefined };

  beforeAll(async () => {
    upstream = await startStatelessUpstream('modern');
    connection = new StatelessUpstreamConnection(identity, new StreamableHttpUpstreamTransport(new URL(upstream.url), {}, LIMIT), events);
    await connection.connect(5_000);
  });
  afterAll(async () => {
    await connection?.close();
    await upstream?.stop();
  });

  it('should discover the server: its capabilities and serverInfo, without initialize', () => {
    expect(connection.protocolVersion).toBe('2026-07-28');
    expect(connection.capabilities).toEqual({ tools: { listChanged: true } });
    expect(connection.serverInfo).toEqual({ name: 'stateless-fixture', version: '1.0.0' });
    expect(upstream.seen.map((s) => s.method)).not.toContain('initialize');
  });

  it("should return an InputRequiredResult as is (a 2026 agent's to answer) and the final result when called again with the answers", async () => {
    const first = await connection.request('tools/call', { name: 'confirm', arguments: { action: 'ship' } }, 5_000, { client: { capabilities: { elicitation: {} } } });
    expect(first).toMatchObject({ resultType: 'input_required', requestState: 'pending:ship', inputRequests: { confirm: { method: 'elicitation/create' } } });
    const final = await connection.request(
      'tools/call',
      { name: 'confirm', arguments: { action: 'ship' }, inputResponses: { confirm: { action: 'accept', content: { ok: false } } }, requestState: first.requestState },
      5_000,
      { client: { capabilities: { elicitation: {} } } },
    );
    expect(final).toMatchObject({ resultType: 'complete', content: [{ type: 'text', text: 'skipped ship (state pending:ship)' }] });
  });

  it('should hand the notifications inside an answer to the call that caused them', async () => {
    const related: JsonRpcNotification[] = [];
    await connection.request('tools/call', { name: 'count', arguments: { n: 2 }, _meta: { progressToken: 'hub-9' } }, 5_000, { onRelated: (m) => void related.push(m) });
    expect(related.map((m) => [m.method, m.params?.progressToken, m.params?.progress])).toEqual([
      ['notifications/progress', 'hub-9', 1],
      ['notifications/progress', 'hub-9', 2],
    ]);
  });

  it('should fail one call whose answer is over the size bound and keep serving the next', async () => {
    const error = await connection.request('tools/call', { name: 'big', arguments: { size: 2 * LIMIT } }, 5_000).catch((e: RpcError) => e);
    expect(error).toBeInstanceOf(RpcError);
    expect((error as RpcError).code).toBe(RpcCode.UPSTREAM_MESSAGE_TOO_LARGE);
    expect((error as RpcError).message).toContain('UPSTREAM_MAX_MESSAGE_BYTES');
    expect(await connection.request('tools/call', { name: 'big', arguments: { size: 10 } }, 5_000)).toMatchObject({ content: [{ text: 'xxxxxxxxxx' }] });
  });

  it("should cancel by closing the answer's stream: the server sees the abort, the call fails at once", async () => {
    let upstreamId: number | undefined;
    const call = connection.request('tools/call', { name: 'hang', arguments: {} }, 30_000, { onSent: (id) => (upstreamId = id) });
    await waitFor(() => upstreamId !== undefined && connection.inFlight === 1, 5_000, 'the call to be sent');
    connection.cancel(upstreamId!);
    await expect(call).rejects.toMatchObject({ code: RpcCode.REQUEST_CANCELLED });
    await waitFor(() => upstream.aborted.count === 1, 5_000, 'the server to see the abort');
    expect(connection.inFlight).toBe(0);
  });

  it("should deliver tools/list_changed from its subscriptions/listen stream to the connection's events", async () => {
    await waitFor(() => upstream.seen.some((s) => s.method === 'subscriptions/listen'), 5_000, 'the listen stream');
    await connection.request('tools/call', { name: 'unlock', arguments: {} }, 5_000);
    await waitFor(() => notifications.some((m) => m.method === 'notifications/tools/list_changed'), 5_000, 'list_changed');
    const changed = notifications.find((m) => m.method === 'notifications/tools/list_changed')!;
    expect(changed.params?._meta ?? {}).not.toHaveProperty(['io.modelcontextprotocol/subscriptionId']);
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { Client as SdkClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CallTracer } from '#core';
import { databaseTargets } from '../support/database-targets.js';
import { GraphQLClient } from '../support/graphql-client.js';
import { createGroup, createKey, registerServer } from '../support/hub-fixtures.js';
import { startHub, type RunningHub } from '../support/hub-app.js';
import { connectStreamable } from '../support/mcp-clients.js';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../support/otlp-receiver.js';
import { everythingStdio, waitFor } from '../support/upstreams.js';

const SECRET_ARGUMENT = 'do-not-export-this-argument-value';
const SPAN_KIND = { SERVER: 2, CLIENT: 3, INTERNAL: 1 };
const AGENT_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const AGENT_SPAN = '00f067aa0ba902b7';

describe('OpenTelemetry traces of agent calls (OTLP/HTTP to a loopback receiver)', () => {
  let receiver: OtlpReceiver;
  let hub: RunningHub;
  let key: { secret: string };
  const clients: Client[] = [];

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    hub = await startHub(databaseTargets[0], { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_SERVICE_NAME: 'mcp-hub-e2e' });
    const admin = new GraphQLClient(hub.url);
    await admin.login('admin@example.com', 'admin-password-123');
    const server = await registerServer(admin, { name: 'Everything', slug: 'everything', transport: 'STDIO', ...everythingStdio() });
    await createGroup(admin, 'traced', [server.id]);
    key = await createKey(admin);
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await hub?.close();
    await receiver?.close();
  });

  /** Flushes the hub's batch and waits until the receiver holds a span matching `where`. */
  const exported = async (where: (s: ReceivedSpan) => boolean, what: string) => {
    await hub.app.get(CallTracer).flush();
    return waitFor(() => receiver.spans.find(where), 10_000, what);
  };

  it('should export the path of a tool call: MCP request → tool call → upstream forward', async () => {
    const client = await connectStreamable(hub.url, 'traced', key.secret);
    clients.push(client);
    await client.callTool({ name: 'everything__echo', arguments: { message: SECRET_ARGUMENT } });

    const toolCall = await exported((s) => s.name === 'mcp.tool_call' && s.attributes['gen_ai.tool.name'] === 'echo', 'the tool call span');
    const request = receiver.spans.find((s) => s.spanId === toolCall.parentSpanId)!;
    const forward = receiver.spans.find((s) => s.name === 'mcp.upstream_forward' && s.parentSpanId === toolCall.spanId)!;
    expect(request).toMatchObject({ name: 'mcp.request', kind: SPAN_KIND.SERVER, traceId: toolCall.traceId, attributes: { 'mcp.method.name': 'tools/call', 'mcphub.group': 'traced' } });
    expect(toolCall).toMatchObject({ kind: SPAN_KIND.INTERNAL, attributes: { 'mcphub.group': 'traced', 'mcphub.server': 'everything', 'mcphub.outcome': 'ok' } });
    expect(forward).toMatchObject({ kind: SPAN_KIND.CLIENT, traceId: toolCall.traceId, attributes: { 'mcp.method.name': 'tools/call', 'mcphub.server': 'everything', 'mcphub.replica': 'primary' } });
    expect(request.resource['service.name']).toBe('mcp-hub-e2e');
    // Names and routing only: no argument value leaves the hub.
    expect(receiver.bodies.join('\n')).not.toContain(SECRET_ARGUMENT);
  });

  it("should join the agent's trace when it sends a W3C traceparent", async () => {
    const client = new SdkClient({ name: 'traced-agent', version: '1.0.0' });
    const headers = { authorization: `Bearer ${key.secret}`, traceparent: `00-${AGENT_TRACE}-${AGENT_SPAN}-01` };
    await client.connect(new StreamableHTTPClientTransport(new URL(`${hub.url}/mcp/traced`), { requestInit: { headers } }));
    clients.push(client);
    await client.callTool({ name: 'everything__get-sum', arguments: { a: 1, b: 2 } });
    const toolCall = await exported((s) => s.name === 'mcp.tool_call' && s.attributes['gen_ai.tool.name'] === 'get-sum', 'the traced tool call');
    expect(toolCall.traceId).toBe(AGENT_TRACE);
    const request = receiver.spans.find((s) => s.spanId === toolCall.parentSpanId)!;
    expect(request).toMatchObject({ name: 'mcp.request', parentSpanId: AGENT_SPAN, traceId: AGENT_TRACE });
  });

  it('should mark a failed call on its spans without quoting the error text', async () => {
    const client = clients[0];
    await expect(client.callTool({ name: 'everything__nope', arguments: {} })).rejects.toThrow(/Unknown tool/);
    const request = await exported((s) => s.name === 'mcp.request' && s.status?.code === 2, 'the failed request span');
    expect(request.status?.message).toBe('JSON-RPC error -32602');
  });
});

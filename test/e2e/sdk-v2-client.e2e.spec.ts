import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { databaseTargets } from '../support/database-targets.js';
import { GraphQLClient } from '../support/graphql-client.js';
import { createGroup, createKey, registerServer } from '../support/hub-fixtures.js';
import { startHub, type RunningHub } from '../support/hub-app.js';
import { everythingStdio } from '../support/upstreams.js';

type ToolResult = { content: { type: string; text?: string }[] };
const text = (r: unknown) => (r as ToolResult).content.map((c) => c.text ?? '').join('');

/** The SDK's v2 client (the 2026-07-28 revision) through the hub, in both of its modes. */
describe('SDK v2 client through the hub', () => {
  let hub: RunningHub;
  let secret: string;
  const clients: Client[] = [];

  const connect = async (mode: 'auto' | 'legacy', capabilities: Record<string, unknown> = {}) => {
    const client = new Client({ name: 'v2-spec', version: '1.0.0' }, { capabilities, versionNegotiation: { mode } });
    const transport = new StreamableHTTPClientTransport(new URL(`${hub.url}/mcp/v2`), { requestInit: { headers: { authorization: `Bearer ${secret}` } } });
    await client.connect(transport);
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    hub = await startHub(databaseTargets[0]);
    const admin = new GraphQLClient(hub.url);
    await admin.login('admin@example.com', 'admin-password-123');
    const everything = await registerServer(admin, { name: 'everything', transport: 'STDIO', ...everythingStdio() });
    await createGroup(admin, 'v2', [everything.id]);
    secret = (await createKey(admin)).secret;
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await hub?.close();
  });

  it('should negotiate the 2026-07-28 revision with server/discover and call tools statelessly', async () => {
    const client = await connect('auto');
    expect(client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
    expect(client.getProtocolEra()).toBe('modern');
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain('everything__echo');
    expect(text(await client.callTool({ name: 'everything__echo', arguments: { message: 'from v2' } }))).toContain('from v2');
  });

  it('should answer a 2025 server\'s elicitation through InputRequiredResult rounds, handled by the client', async () => {
    const client = await connect('auto', { elicitation: {} });
    client.setRequestHandler('elicitation/create', async () => ({ action: 'accept', content: { name: 'Grace' } }));
    expect(text(await client.callTool({ name: 'everything__trigger-elicitation-request', arguments: {} }))).toContain('Name: Grace');
  });

  it('should still speak the 2025 era when asked to', async () => {
    const client = await connect('legacy');
    expect(client.getProtocolEra()).toBe('legacy');
    expect(text(await client.callTool({ name: 'everything__echo', arguments: { message: 'legacy v2' } }))).toContain('legacy v2');
  });
});

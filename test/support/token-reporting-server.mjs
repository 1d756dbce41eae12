// A real MCP server (SDK 1.x, stdio) that tells who it was started for: `whoami` answers the SERVICE_TOKEN it got
// in its environment, its first argument and its pid; `announce` sends a log notification naming the token, so a
// test can see which agents hear a person's own connection (`announce-later`: once the call has been answered, as
// a server says something unasked; `touch-later` likewise sends an update of `token://self`); subscribing to
// `token://self` is answered with an update at once, so a test can see whose connection a subscription reached.
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ListResourcesRequestSchema, ListToolsRequestSchema, ReadResourceRequestSchema, SubscribeRequestSchema } from '@modelcontextprotocol/sdk/types.js';

const token = process.env.SERVICE_TOKEN ?? null;
const server = new Server({ name: 'token-reporting-server', version: '1.0.0' }, { capabilities: { tools: {}, logging: {}, resources: { subscribe: true } } });
const noInput = { type: 'object', properties: {} };
server.setRequestHandler(ListToolsRequestSchema, async () => ({
  tools: [
    { name: 'whoami', description: 'The token, argument and pid this process was started with', inputSchema: noInput },
    { name: 'announce', description: 'Sends a log notification naming the token', inputSchema: noInput },
    {
      name: 'announce-later',
      description: 'Sends a log notification naming the token afterMs after answering',
      inputSchema: { type: 'object', properties: { afterMs: { type: 'number' } } },
    },
    {
      name: 'touch-later',
      description: 'Sends a resources/updated notification for token://self afterMs after answering',
      inputSchema: { type: 'object', properties: { afterMs: { type: 'number' } } },
    },
  ],
}));
server.setRequestHandler(CallToolRequestSchema, async (request) => {
  const announce = () => server.notification({ method: 'notifications/message', params: { level: 'info', data: `hello from ${token}` } });
  if (request.params.name === 'announce') await announce();
  const later = (send) => setTimeout(() => void send(), Number(request.params.arguments?.afterMs ?? 0));
  if (request.params.name === 'announce-later') later(announce);
  if (request.params.name === 'touch-later') later(() => server.notification({ method: 'notifications/resources/updated', params: { uri: 'token://self' } }));
  return { content: [{ type: 'text', text: JSON.stringify({ token, arg: process.argv[2] ?? null, pid: process.pid }) }] };
});
server.setRequestHandler(ListResourcesRequestSchema, async () => ({ resources: [{ uri: 'token://self', name: 'self' }] }));
server.setRequestHandler(ReadResourceRequestSchema, async () => ({ contents: [{ uri: 'token://self', text: String(token) }] }));
server.setRequestHandler(SubscribeRequestSchema, async (request) => {
  setImmediate(() => void server.notification({ method: 'notifications/resources/updated', params: { uri: request.params.uri, _meta: { 'test/token': token } } }));
  return {};
});
await server.connect(new StdioServerTransport());

// A real MCP server (SDK 1.x, stdio) that keeps state in its process: `next` counts up and answers the count and its
// pid; `peek` (read-only, so safe to send again) answers the same without counting. A test sees from the answers
// whether every call reached one process, and when that process changed. Both wait `delayMs` first if given.
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';

let count = 0;
const server = new Server({ name: 'counting-server', version: '1.0.0' }, { capabilities: { tools: {} } });
const noInput = { type: 'object', properties: { delayMs: { type: 'number' } } };
server.setRequestHandler(ListToolsRequestSchema, async () => ({
  tools: [
    { name: 'next', description: 'Counts one up; answers the count and this process id', inputSchema: noInput },
    { name: 'peek', description: 'Answers the count and this process id', inputSchema: noInput, annotations: { readOnlyHint: true } },
  ],
}));
server.setRequestHandler(CallToolRequestSchema, async (request) => {
  const delayMs = Number(request.params.arguments?.delayMs ?? 0);
  if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
  if (request.params.name === 'next') count++;
  return { content: [{ type: 'text', text: JSON.stringify({ pid: process.pid, count }) }] };
});
await server.connect(new StdioServerTransport());

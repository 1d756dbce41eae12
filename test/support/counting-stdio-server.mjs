// A real MCP server (SDK 1.x, stdio) that keeps state in its process: `next` counts up and answers the count and its
// pid; `peek` (read-only, so safe to send again) answers the same without counting. A test sees from the answers
// whether every call reached one process, and when that process changed. Both wait `delayMs` first if given.
// `ask-then-withdraw` asks the agent for a sampling, then withdraws the question (notifications/cancelled) after
// `withdrawAfterMs` unless it was answered first.
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, CreateMessageResultSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';

let count = 0;
const server = new Server({ name: 'counting-server', version: '1.0.0' }, { capabilities: { tools: {} } });
const noInput = { type: 'object', properties: { delayMs: { type: 'number' } } };
server.setRequestHandler(ListToolsRequestSchema, async () => ({
  tools: [
    { name: 'next', description: 'Counts one up; answers the count and this process id', inputSchema: noInput },
    { name: 'peek', description: 'Answers the count and this process id', inputSchema: noInput, annotations: { readOnlyHint: true } },
    { name: 'ask-then-withdraw', description: 'Asks the agent for a sampling and withdraws the question', inputSchema: { type: 'object', properties: { withdrawAfterMs: { type: 'number' } } } },
  ],
}));
server.setRequestHandler(CallToolRequestSchema, async (request) => {
  if (request.params.name === 'ask-then-withdraw') return askThenWithdraw(Number(request.params.arguments?.withdrawAfterMs ?? 300));
  const delayMs = Number(request.params.arguments?.delayMs ?? 0);
  if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
  if (request.params.name === 'next') count++;
  return { content: [{ type: 'text', text: JSON.stringify({ pid: process.pid, count }) }] };
});
async function askThenWithdraw(withdrawAfterMs) {
  const signal = AbortSignal.timeout(withdrawAfterMs);
  const question = { messages: [{ role: 'user', content: { type: 'text', text: 'never mind' } }], maxTokens: 10 };
  // On abort the SDK sends notifications/cancelled for the request and rejects.
  const outcome = await server.request({ method: 'sampling/createMessage', params: question }, CreateMessageResultSchema, { signal }).then(
    () => 'answered',
    () => 'withdrawn',
  );
  return { content: [{ type: 'text', text: JSON.stringify({ pid: process.pid, outcome }) }] };
}

await server.connect(new StdioServerTransport());

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';

/**
 * Stand-in MCP servers that answer one tool with a message bigger than the hub's bound: a stdio script (run as a
 * real child process) and loopback Streamable HTTP / legacy SSE servers. Tools: `small` (answers its pid or "ok"),
 * `big` (one answer of `bigBytes`), `big-sse` (HTTP only: the big answer as one SSE event), `endless` (stdio only:
 * `endlessBytes` without a newline, then silence), `reset-json`/`reset-sse` (HTTP only: half an answer, then the
 * connection is reset). Answers put `id` last, as the MCP SDK does.
 */
const TOOLS = ['small', 'big', 'big-sse', 'endless', 'reset-json', 'reset-sse'].map((name) => ({ name, description: name, inputSchema: { type: 'object', properties: {} } }));

export const STDIO_SCRIPT = `
const BIG = Number(process.env.BIG_BYTES), ENDLESS = Number(process.env.ENDLESS_BYTES);
const tools = ${JSON.stringify(TOOLS)};
const answer = (id, result) => process.stdout.write(JSON.stringify({ result, jsonrpc: '2.0', id }) + '\\n');
let buffer = '';
process.stdin.setEncoding('utf8').on('data', (chunk) => {
  buffer += chunk;
  let i;
  while ((i = buffer.indexOf('\\n')) !== -1) {
    const line = buffer.slice(0, i); buffer = buffer.slice(i + 1);
    if (!line.trim()) continue;
    const m = JSON.parse(line);
    if (m.id === undefined) continue;
    if (m.method === 'initialize') answer(m.id, { protocolVersion: m.params.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: 'oversized', version: '1' } });
    else if (m.method === 'tools/list') answer(m.id, { tools });
    else if (m.method === 'tools/call' && m.params.name === 'big') answer(m.id, { content: [{ type: 'text', text: 'x'.repeat(BIG) }] });
    else if (m.method === 'tools/call' && m.params.name === 'endless') process.stdout.write('{"result":{"content":[{"type":"text","text":"' + 'y'.repeat(ENDLESS));
    else if (m.method === 'tools/call') answer(m.id, { content: [{ type: 'text', text: 'pid ' + process.pid }] });
    else process.stdout.write(JSON.stringify({ jsonrpc: '2.0', id: m.id, error: { code: -32601, message: 'no' } }) + '\\n');
  }
});
`;

interface Rpc {
  id?: number | string;
  method: string;
  params?: { name?: string; protocolVersion?: string };
}

/** The answer to one request, or undefined for notifications; `big`/`big-sse` answers are `bigBytes` long. */
function answer(m: Rpc, bigBytes: number): Record<string, unknown> | undefined {
  if (m.id === undefined) return undefined;
  let result: unknown;
  if (m.method === 'initialize') result = { protocolVersion: m.params?.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: 'oversized', version: '1' } };
  else if (m.method === 'tools/list') result = { tools: TOOLS };
  else if (m.method === 'tools/call' && m.params?.name?.startsWith('big')) result = { content: [{ type: 'text', text: 'x'.repeat(bigBytes) }] };
  else if (m.method === 'tools/call') result = { content: [{ type: 'text', text: 'ok' }] };
  else return { jsonrpc: '2.0', id: m.id, error: { code: -32601, message: 'no' } };
  return { result, jsonrpc: '2.0', id: m.id };
}

async function readBody(req: IncomingMessage): Promise<Rpc> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Rpc;
}

export interface LoopbackServer {
  url: string;
  close(): Promise<void>;
}

async function listen(server: Server, path: string): Promise<LoopbackServer> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

/** Streamable HTTP: JSON answers, except `big-sse`, answered as one SSE event. */
export function startOversizedStreamableHttp(bigBytes: number): Promise<LoopbackServer> {
  const server = createServer((req, res) => {
    if (req.method !== 'POST') return void res.writeHead(405).end();
    readBody(req).then((m) => {
      const reply = answer(m, bigBytes);
      if (!reply) return void res.writeHead(202).end();
      const headers = { 'mcp-session-id': 'one-session' };
      if (m.params?.name?.startsWith('reset-')) {
        const sse = m.params.name === 'reset-sse';
        res.writeHead(200, { ...headers, 'content-type': sse ? 'text/event-stream' : 'application/json', ...(sse ? {} : { 'content-length': '1000' }) });
        res.write(sse ? 'event: message\ndata: {"result":{"content":' : '{"result":{"content":');
        setTimeout(() => res.destroy(), 20);
      } else if (m.params?.name === 'big-sse') {
        res.writeHead(200, { ...headers, 'content-type': 'text/event-stream' });
        res.end(`event: message\ndata: ${JSON.stringify(reply)}\n\n`);
      } else {
        res.writeHead(200, { ...headers, 'content-type': 'application/json' }).end(JSON.stringify(reply));
      }
    }, () => res.writeHead(400).end());
  });
  return listen(server, '/mcp');
}

/**
 * Streamable HTTP whose GET stream sends a `ping` request and that refuses (HTTP 500) every response the hub POSTs
 * back: the hub's answer to a server→client request fails to send. `refusedAnswers()` counts them.
 */
export function startRefusingPingServer(): Promise<LoopbackServer & { refusedAnswers: () => number }> {
  let refused = 0;
  const server = createServer((req, res) => {
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'mcp-session-id': 'one-session' });
      res.write(`event: message\ndata: ${JSON.stringify({ jsonrpc: '2.0', id: `srv-ping-${refused}`, method: 'ping' })}\n\n`);
      return;
    }
    if (req.method !== 'POST') return void res.writeHead(405).end();
    readBody(req).then((m) => {
      if (!('method' in m)) {
        refused++;
        return void res.writeHead(500).end('no answers accepted');
      }
      const reply = answer(m, 0);
      if (!reply) return void res.writeHead(202).end();
      res.writeHead(200, { 'mcp-session-id': 'one-session', 'content-type': 'application/json' }).end(JSON.stringify(reply));
    }, () => res.writeHead(400).end());
  });
  return listen(server, '/mcp').then((s) => ({ ...s, refusedAnswers: () => refused }));
}

/** Legacy HTTP+SSE: GET /sse opens the stream (new session each time), POST /message answers on it. */
export function startOversizedSse(bigBytes: number): Promise<LoopbackServer & { streamsOpened: () => number }> {
  const streams = new Map<string, ServerResponse>();
  let opened = 0;
  const server = createServer((req, res) => {
    const url = new URL(req.url!, 'http://127.0.0.1');
    if (req.method === 'GET' && url.pathname === '/sse') {
      const id = randomUUID();
      opened++;
      streams.set(id, res);
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.write(`event: endpoint\ndata: /message?sessionId=${id}\n\n`);
      req.on('close', () => streams.delete(id));
      return;
    }
    const stream = streams.get(url.searchParams.get('sessionId') ?? '');
    if (req.method !== 'POST' || !stream) return void res.writeHead(404).end();
    readBody(req).then((m) => {
      res.writeHead(202).end();
      const reply = answer(m, bigBytes);
      if (reply) stream.write(`event: message\ndata: ${JSON.stringify(reply)}\n\n`);
    }, () => res.writeHead(400).end());
  });
  return listen(server, '/sse').then((s) => ({ ...s, streamsOpened: () => opened }));
}

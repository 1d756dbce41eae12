// The benchmark's upstream: an MCP SDK server with one `echo` tool, over stdio or Streamable HTTP.
// Usage: node bench/echo-server.mjs stdio | node bench/echo-server.mjs http <port>
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';

function echoServer() {
  const server = new McpServer({ name: 'bench-echo', version: '1.0.0' });
  server.registerTool('echo', { description: 'Echoes its input', inputSchema: { message: z.string() } }, async ({ message }) => ({
    content: [{ type: 'text', text: message }],
  }));
  return server;
}

const [mode, port] = process.argv.slice(2);
if (mode === 'stdio') {
  await echoServer().connect(new StdioServerTransport());
} else if (mode === 'http') {
  const transports = new Map();
  const http = createServer(async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString()) : undefined;
    const id = req.headers['mcp-session-id'];
    let transport = id ? transports.get(id) : undefined;
    if (!transport) {
      if (body?.method !== 'initialize') {
        res.writeHead(404).end();
        return;
      }
      transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        enableJsonResponse: true,
        onsessioninitialized: (sid) => transports.set(sid, transport),
      });
      transport.onclose = () => transports.delete(transport.sessionId);
      await echoServer().connect(transport);
    }
    await transport.handleRequest(req, res, body);
  });
  http.listen(Number(port), '127.0.0.1', () => process.stderr.write(`echo listening on ${port}\n`));
} else {
  process.stderr.write('usage: echo-server.mjs stdio | http <port>\n');
  process.exit(2);
}

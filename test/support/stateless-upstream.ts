import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { McpServer, acceptedContent, createMcpHandler, inputRequired } from '@modelcontextprotocol/server';
import { z } from 'zod';

/**
 * A real 2026-07-28 MCP server (SDK v2, `createMcpHandler`) on loopback, for the hub's upstream era tests:
 * - `confirm`: asks for confirmation through an InputRequiredResult (elicitation), then answers.
 * - `count`: reports progress (one notification per step) before its result.
 * - `locate`: declares its argument `region` as the `Mcp-Param-Region` header (`x-mcp-header`).
 * - `big`: answers `size` characters; `hang`: never answers, counts aborted requests (cancellation closes the stream).
 * - `unlock`: registers the tool `secret` and announces the change (tools/list_changed over subscriptions/listen).
 * `era: 'modern'` refuses 2025-era traffic (initialize included); `'dual'` also serves it statelessly.
 */
export interface StatelessUpstream {
  url: string;
  /** Every request the server received: method, headers, `_meta`. */
  readonly seen: { method: string; headers: Record<string, string | string[] | undefined>; meta: Record<string, unknown> | undefined }[];
  /** How many `hang` calls saw their request aborted. */
  readonly aborted: { count: number };
  stop(): Promise<void>;
}

export async function startStatelessUpstream(era: 'modern' | 'dual' = 'modern'): Promise<StatelessUpstream> {
  const state = { unlocked: false };
  const aborted = { count: 0 };
  const factory = () => {
    const server = new McpServer({ name: 'stateless-fixture', version: '1.0.0' }, { capabilities: { tools: { listChanged: true } } });
    server.registerTool(
      'confirm',
      { description: 'Asks the user to confirm, then acts', inputSchema: z.object({ action: z.string() }) },
      async ({ action }, ctx) => {
        const answer = acceptedContent<{ ok: boolean }>(ctx.mcpReq.inputResponses, 'confirm');
        if (answer === undefined) {
          return inputRequired({
            inputRequests: {
              confirm: inputRequired.elicit({
                message: `Really ${action}?`,
                requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] },
              }),
            },
            requestState: `pending:${action}`,
          });
        }
        return { content: [{ type: 'text', text: `${answer.ok ? 'did' : 'skipped'} ${action} (state ${ctx.mcpReq.requestState<string>()})` }] };
      },
    );
    server.registerTool('count', { description: 'Counts to n, reporting progress', inputSchema: z.object({ n: z.number() }) }, async ({ n }, ctx) => {
      const token = ctx.mcpReq._meta?.progressToken;
      for (let i = 1; i <= n; i++) {
        if (token !== undefined) await ctx.mcpReq.notify({ method: 'notifications/progress', params: { progressToken: token, progress: i, total: n } });
      }
      return { content: [{ type: 'text', text: `counted to ${n}` }] };
    });
    server.registerTool(
      'locate',
      { description: 'Echoes a region it also reads from the Mcp-Param-Region header', inputSchema: z.object({ region: z.string().meta({ 'x-mcp-header': 'Region' }) }) },
      async ({ region }) => ({ content: [{ type: 'text', text: `region ${region}` }] }),
    );
    server.registerTool('big', { description: 'Answers `size` characters', inputSchema: z.object({ size: z.number() }) }, async ({ size }) => ({
      content: [{ type: 'text', text: 'x'.repeat(size) }],
    }));
    server.registerTool('hang', { description: 'Never answers; notes when its request is aborted' }, async (ctx) => {
      await new Promise<void>((resolve) => ctx.mcpReq.signal.addEventListener('abort', () => resolve()));
      aborted.count++;
      return { content: [] };
    });
    server.registerTool('unlock', { description: 'Adds the tool "secret"' }, async () => {
      state.unlocked = true;
      handler.notify.toolsChanged();
      return { content: [{ type: 'text', text: 'unlocked' }] };
    });
    if (state.unlocked) server.registerTool('secret', { description: 'Appears after unlock' }, async () => ({ content: [{ type: 'text', text: 'secret' }] }));
    return server;
  };
  const handler = createMcpHandler(factory, { legacy: era === 'modern' ? 'reject' : 'stateless', keepAliveMs: 0 });
  const seen: StatelessUpstream['seen'] = [];
  const http = createServer((req, res) => void serve(req, res));
  async function serve(req: IncomingMessage, res: ServerResponse) {
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks);
      if (body.length) {
        try {
          const parsed = JSON.parse(body.toString('utf8')) as { method?: string; params?: { _meta?: Record<string, unknown> } };
          if (parsed.method) seen.push({ method: parsed.method, headers: { ...req.headers }, meta: parsed.params?._meta });
        } catch {
          // not JSON: the handler answers it
        }
      }
      // The client closing its side is how a 2026 client cancels: the handler's signal must see it.
      const gone = new AbortController();
      res.on('close', () => !res.writableFinished && gone.abort());
      const request = new Request(`http://127.0.0.1${req.url}`, {
        method: req.method,
        signal: gone.signal,
        headers: Object.entries(req.headers).flatMap(([k, v]) => (v === undefined ? [] : (Array.isArray(v) ? v : [v]).map((x) => [k, x] as [string, string]))),
        body: body.length && req.method !== 'GET' && req.method !== 'HEAD' ? body : undefined,
      });
      const response = await handler.fetch(request);
      res.writeHead(response.status, Object.fromEntries(response.headers.entries()));
      if (!response.body) return void res.end();
      const stream = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream);
      res.on('close', () => stream.destroy());
      stream.on('error', () => res.destroy());
      stream.pipe(res);
    } catch (error) {
      res.writeHead(500).end(String(error));
    }
  }
  const port = await listen(http);
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    seen,
    aborted,
    stop: async () => {
      await handler.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

function listen(http: HttpServer): Promise<number> {
  return new Promise((resolve, reject) => {
    http.once('error', reject);
    http.listen(0, '127.0.0.1', () => resolve((http.address() as { port: number }).port));
  });
}

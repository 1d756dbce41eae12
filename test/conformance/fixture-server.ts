import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  WebStandardStreamableHTTPServerTransport,
  createMcpHandler,
  createRequestStateCodec,
  isLegacyRequest,
  type EventStore,
  type JSONRPCMessage,
} from '@modelcontextprotocol/server';
import { buildFixtureServer } from './fixture-surface.js';

/**
 * The project's conformance fixture: one Streamable HTTP endpoint (`/mcp`) serving both eras with SDK v2.
 * - 2026-07-28 (per-request `_meta` envelope): `createMcpHandler` with `legacy: 'reject'`, a fresh server per request.
 * - 2025 era (`initialize`, 2025-11-25): a real session per client (`WebStandardStreamableHTTPServerTransport`),
 *   because sampling, elicitation, logging and subscriptions need the session's server→client channel; the SDK's
 *   own legacy fallback is stateless and answers GET/DELETE with 405.
 * `isLegacyRequest` (the SDK's own classifier) routes each request. Host/Origin are checked first (DNS rebinding).
 */
export interface RunningFixture {
  url: string;
  close(): Promise<void>;
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

function isLocal(hostOrUrl: string, isUrl: boolean): boolean {
  try {
    return LOCAL_HOSTS.has(new URL(isUrl ? hostOrUrl : `http://${hostOrUrl}`).hostname);
  } catch {
    return false;
  }
}

function memoryEventStore(): EventStore {
  const events = new Map<string, { streamId: string; message: JSONRPCMessage }>();
  let seq = 0;
  return {
    async storeEvent(streamId, message) {
      const id = `${streamId}::${String(++seq).padStart(10, '0')}`;
      events.set(id, { streamId, message });
      return id;
    },
    async getStreamIdForEventId(eventId) {
      return events.get(eventId)?.streamId;
    },
    async replayEventsAfter(lastEventId, { send }) {
      const streamId = events.get(lastEventId)?.streamId ?? lastEventId.split('::')[0];
      for (const [id, event] of events) {
        if (event.streamId === streamId && id > lastEventId) await send(id, event.message);
      }
      return streamId;
    },
  };
}

async function toWebRequest(req: IncomingMessage, origin: string): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const body = chunks.length && req.method !== 'GET' && req.method !== 'HEAD' ? Buffer.concat(chunks) : undefined;
  return new Request(new URL(req.url ?? '/', origin), { method: req.method, headers, body });
}

/** Streams a web Response back to Node, flushing each chunk (SSE). */
async function sendWebResponse(res: ServerResponse, response: Response): Promise<void> {
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.flushHeaders();
  if (!response.body) return void res.end();
  const reader = response.body.getReader();
  res.on('close', () => void reader.cancel().catch(() => undefined));
  for (;;) {
    const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
    if (done) break;
    res.write(value);
  }
  res.end();
}

const jsonError = (status: number, code: number, message: string) =>
  new Response(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code, message } }), { status, headers: { 'content-type': 'application/json' } });

export async function startConformanceFixture(): Promise<RunningFixture> {
  const stateCodec = createRequestStateCodec<{ round: number }>({ key: randomBytes(32) });
  const modern = createMcpHandler((ctx) => buildFixtureServer({ era: ctx.era, notifier: modern.notify, stateCodec }), { legacy: 'reject' });
  const sessions = new Map<string, WebStandardStreamableHTTPServerTransport>();
  const eventStore = memoryEventStore();

  async function legacy(request: Request): Promise<Response> {
    const sessionId = request.headers.get('mcp-session-id');
    if (sessionId) {
      const transport = sessions.get(sessionId);
      return transport ? transport.handleRequest(request) : jsonError(404, -32001, 'Session not found');
    }
    if (request.method !== 'POST') return jsonError(400, -32000, 'Bad Request: Mcp-Session-Id header is required');
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      eventStore,
      onsessioninitialized: (id) => void sessions.set(id, transport),
      onsessionclosed: (id) => void sessions.delete(id),
    });
    await buildFixtureServer({ era: 'legacy', stateCodec }).connect(transport);
    return transport.handleRequest(request);
  }

  const http = createServer((req, res) => {
    void (async () => {
      const origin = req.headers.origin;
      if (!isLocal(req.headers.host ?? '', false) || (origin !== undefined && !isLocal(origin, true))) {
        return sendWebResponse(res, jsonError(403, -32000, 'Forbidden: Host or Origin is not localhost'));
      }
      if (!req.url?.startsWith('/mcp')) return sendWebResponse(res, new Response('Not Found', { status: 404 }));
      const request = await toWebRequest(req, `http://${req.headers.host}`);
      const response = (await isLegacyRequest(request.clone())) ? await legacy(request) : await modern.fetch(request);
      await sendWebResponse(res, response);
    })().catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    async close() {
      await Promise.all([...sessions.values()].map((t) => t.close().catch(() => undefined)));
      await modern.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

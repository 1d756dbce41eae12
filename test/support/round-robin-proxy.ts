import { createServer, request, type IncomingHttpHeaders, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A plain round-robin HTTP load balancer on loopback, as an operator would put in front of hub replicas: no session
 * affinity (unless asked, to measure what its absence costs), so every request (each POST of one MCP session, a GET
 * stream, a legacy SSE stream) goes to the next backend. Like nginx's `proxy_next_upstream error`, a request whose
 * backend cannot be reached or drops the connection before answering is tried on the next one (bodies are buffered
 * for that), and a failing backend is skipped for `downMs`. Responses stream through unbuffered (SSE).
 */
export interface RoundRobinProxy {
  url: string;
  /** Requests each backend received (by index), and how many were retried on another one. */
  stats: { perBackend: number[]; retried: number };
  close(): Promise<void>;
}

export interface ProxyOptions {
  /** How long a backend that failed is skipped. */
  downMs?: number;
  /**
   * Session affinity, for comparison only (hubs need none): a request naming an MCP session goes to the backend that
   * answered with that Mcp-Session-Id, while it is up.
   */
  affinity?: boolean;
}

/**
 * Headers about one connection, which a proxy does not pass on (RFC 9110 §7.6.1), as nginx does not. Passed on, a
 * hub's `Keep-Alive: timeout=65` told clients they could reuse an idle connection for a minute while this proxy
 * closes it after 5 s (Node's default): a POST sent on such a connection failed with ECONNRESET.
 */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade']);
const endToEnd = (headers: IncomingHttpHeaders): IncomingHttpHeaders => Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name)));

export async function startRoundRobinProxy(backends: string[], { downMs = 2_000, affinity = false }: ProxyOptions = {}): Promise<RoundRobinProxy> {
  const targets = backends.map((b) => new URL(b));
  const downUntil = targets.map(() => 0);
  const stats = { perBackend: targets.map(() => 0), retried: 0 };
  const sessionBackends = new Map<string, number>();
  let next = 0;
  const pick = (sessionId: string | undefined): number => {
    const sticky = sessionId === undefined ? undefined : sessionBackends.get(sessionId);
    if (sticky !== undefined && downUntil[sticky] <= Date.now()) return sticky;
    for (let i = 0; i < targets.length; i++) {
      const index = next++ % targets.length;
      if (downUntil[index] <= Date.now()) return index;
    }
    return next++ % targets.length; // every backend down: try anyway
  };

  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const sessionId = affinity ? (req.headers['mcp-session-id'] as string | undefined) : undefined;
    if (sessionId && req.method === 'DELETE') res.on('close', () => sessionBackends.delete(sessionId));
    const attempt = (left: number): void => {
      const index = pick(left === targets.length - 1 ? sessionId : undefined); // a retry goes round robin
      stats.perBackend[index]++;
      const target = targets[index];
      const upstream = request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: endToEnd(req.headers) },
        (answer: IncomingMessage) => {
          const answered = answer.headers['mcp-session-id'];
          if (affinity && typeof answered === 'string') sessionBackends.set(answered, index);
          res.writeHead(answer.statusCode ?? 502, endToEnd(answer.headers));
          res.flushHeaders();
          answer.pipe(res);
          answer.on('error', () => res.destroy());
        },
      );
      upstream.on('error', () => {
        if (res.headersSent) return void res.destroy(); // mid-answer: the client sees the stream end
        downUntil[index] = Date.now() + downMs;
        if (left > 0) {
          stats.retried++;
          return attempt(left - 1);
        }
        res.writeHead(502).end('no backend answered');
      });
      res.on('close', () => upstream.destroy());
      upstream.end(body);
    };
    attempt(targets.length - 1);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

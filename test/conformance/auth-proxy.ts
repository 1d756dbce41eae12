import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A loopback HTTP proxy that adds `Authorization: Bearer <key>` to every request (the conformance suite cannot send
 * headers) and changes nothing else: method, path, every header (Host and Origin included, so DNS-rebinding checks
 * reach the hub as sent) and the body go through as they are; the response streams back chunk by chunk (SSE).
 * It listens before the target is known, so the hub can be booted with the proxy's origin on its allowlist.
 */
export interface AuthProxy {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  forwardTo(targetOrigin: string, apiKey: string): void;
  close(): Promise<void>;
}

export async function startAuthProxy(): Promise<AuthProxy> {
  let target: { url: URL; key: string } | undefined;
  const sockets = new Set<Socket>();

  const forward = (req: IncomingMessage, res: ServerResponse) => {
    if (!target) {
      res.writeHead(503, { 'content-type': 'text/plain' }).end('auth proxy: no target yet');
      return;
    }
    const upstream = request(
      {
        host: target.url.hostname,
        port: target.url.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, authorization: `Bearer ${target.key}` },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, answer.rawHeaders);
        res.flushHeaders();
        answer.pipe(res);
      },
    );
    upstream.on('error', (error) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`auth proxy: ${error.message}`);
    });
    // The client hanging up (an SSE stream closed) ends the upstream request too.
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  };

  const server = createServer(forward);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    forwardTo(targetOrigin, apiKey) {
      target = { url: new URL(targetOrigin), key: apiKey };
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HubConfig } from '#core';
import { EgressGuard, type EgressResolver } from '#servers';
import { NotificationEventType, WebhookFormat } from '../alert-types.js';
import type { AlertEvent } from '../dispatch/alert-event.js';
import { WebhookSender } from './webhook-sender.js';
import { SIGNATURE_HEADER, generateSigningSecret, verifySignature } from './webhook-signature.js';

/** Every destination is on loopback; the resolver maps made-up names onto it. */
const resolver: EgressResolver = async (name) => {
  if (name === 'hooks.test') return [{ address: '127.0.0.1', family: 4 }];
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
};

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

/** A loopback receiver whose behaviour each test sets, counting TCP connections. */
async function receiver() {
  const state = { connections: 0, handler: ((_req, _body, res) => res.end('ok')) as Handler };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c));
    req.on('end', () => state.handler(req, body, res));
  });
  server.on('connection', () => state.connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, state, port: (server.address() as AddressInfo).port };
}

const event: AlertEvent = {
  id: '6f1c2b1e-0000-4000-8000-000000000001',
  type: NotificationEventType.KEY_QUOTA_NEAR,
  occurredAt: '2026-11-01T12:00:00.000Z',
  summary: 'API key "ci" used 80 of 100 tool calls allowed per day (80 %)',
  data: { keyId: 'k1' },
};

describe(WebhookSender.name, () => {
  const secret = generateSigningSecret();
  const servers: Server[] = [];
  let guard: EgressGuard;
  let sender: WebhookSender;
  let rx: Awaited<ReturnType<typeof receiver>>;
  const timeoutMs = 2_000;

  beforeAll(async () => {
    guard = new EgressGuard({ egress: { allowedHosts: [] } } as unknown as HubConfig, resolver);
    sender = new WebhookSender(guard, { alerts: { delivery: { timeoutMs } } } as HubConfig);
    rx = await receiver();
    servers.push(rx.server);
  });
  afterAll(async () => {
    await guard.onApplicationShutdown();
    for (const s of servers) s.closeAllConnections();
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  });

  const target = (path: string, mode: 'restricted' | 'unrestricted' = 'unrestricted', host = '127.0.0.1') => ({
    url: `http://${host}:${rx.port}${path}`,
    secret,
    format: WebhookFormat.GENERIC,
    mode,
  });

  it('should POST the event as JSON signed over timestamp and body, which the receiver verifies with the secret', async () => {
    let seen: { headers: IncomingMessage['headers']; body: string } | undefined;
    rx.state.handler = (req, body, res) => {
      seen = { headers: req.headers, body };
      res.writeHead(204).end();
    };
    expect(await sender.send(target('/hook'), event, 'd1')).toEqual({ ok: true, status: 204 });
    expect(seen!.headers['content-type']).toBe('application/json');
    expect(seen!.headers['x-hub-event']).toBe('KEY_QUOTA_NEAR');
    expect(seen!.headers['x-hub-delivery']).toBe('d1');
    expect(verifySignature(secret, seen!.headers[SIGNATURE_HEADER] as string, seen!.body)).toBe(true);
    expect(verifySignature(generateSigningSecret(), seen!.headers[SIGNATURE_HEADER] as string, seen!.body)).toBe(false);
    expect(JSON.parse(seen!.body)).toMatchObject({ id: event.id, type: event.type, summary: event.summary });
  });

  it("should refuse a member's loopback IP literal before connecting", async () => {
    const before = rx.state.connections;
    const outcome = await sender.send(target('/hook', 'restricted'), event, 'd2');
    expect(outcome).toMatchObject({ ok: false, permanent: true, error: expect.stringContaining("destination not allowed by the hub's egress policy") });
    expect(rx.state.connections).toBe(before);
  });

  it("should refuse a member's name that resolves to loopback, in the lookup, before connecting", async () => {
    const before = rx.state.connections;
    const outcome = await sender.send(target('/hook', 'restricted', 'hooks.test'), event, 'd3');
    expect(outcome).toEqual({ ok: false, status: null, error: "destination not allowed by the hub's egress policy", permanent: true });
    expect(rx.state.connections).toBe(before);
    // The same name for an admin's channel connects.
    expect(await sender.send(target('/hook', 'unrestricted', 'hooks.test'), event, 'd3')).toMatchObject({ ok: true });
  });

  it.each([
    [500, false],
    [503, false],
    [429, false],
    [408, false],
    [404, true],
    [400, true],
  ])('should report HTTP %i with the start of the answer (permanent: %s)', async (status, permanent) => {
    rx.state.handler = (_req, _body, res) => res.writeHead(status).end(`  reason\n${'x'.repeat(1000)}`);
    const outcome = await sender.send(target('/hook'), event, 'd4');
    expect(outcome).toMatchObject({ ok: false, status, permanent });
    expect((outcome as { error: string }).error).toMatch(new RegExp(`^HTTP ${status}: reason x+$`));
    expect((outcome as { error: string }).error.length).toBeLessThanOrEqual(`HTTP ${status}: `.length + 200);
  });

  it('should not follow a redirect (the signed body would go somewhere the owner did not name)', async () => {
    const other = await receiver();
    servers.push(other.server);
    rx.state.handler = (_req, _body, res) => res.writeHead(307, { location: `http://127.0.0.1:${other.port}/elsewhere` }).end();
    const outcome = await sender.send(target('/hook'), event, 'd5');
    expect(outcome).toMatchObject({ ok: false, status: 307, permanent: true, error: expect.stringContaining('redirects are not followed') });
    expect(other.state.connections).toBe(0);
  });

  it('should give up on a receiver that does not answer within the timeout', async () => {
    rx.state.handler = () => undefined;
    const started = performance.now();
    const outcome = await sender.send(target('/hook'), event, 'd6');
    expect(outcome).toEqual({ ok: false, status: null, error: `no answer within ${timeoutMs} ms`, permanent: false });
    expect(performance.now() - started).toBeLessThan(timeoutMs + 1_000);
  });

  it.each([200, 500])('should not read an endless answer (HTTP %i): it returns long before the timeout', async (status) => {
    const timers: NodeJS.Timeout[] = [];
    rx.state.handler = (_req, _body, res) => {
      res.writeHead(status, { 'content-type': 'text/plain' });
      const chunk = 'y'.repeat(64 * 1024);
      res.write(chunk);
      timers.push(setInterval(() => res.write(chunk), 5));
    };
    const started = performance.now();
    const outcome = await sender.send(target('/hook'), event, 'd7');
    const elapsed = performance.now() - started;
    timers.forEach(clearInterval);
    expect(outcome).toMatchObject({ ok: status === 200, status });
    expect(elapsed).toBeLessThan(timeoutMs / 2);
  });
});

import { afterEach, describe, expect, it } from '@jest/globals';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { OtelCallTracer } from './otel-call-tracer.js';

/** A collector that refuses every export (400: not retried, so the spec stays fast). */
async function refusingCollector() {
  const server = createServer((req, res) => req.resume().on('end', () => res.writeHead(400).end('bad')));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`, close: () => new Promise((r) => server.close(r)) };
}

describe(OtelCallTracer.name, () => {
  let collector: Awaited<ReturnType<typeof refusingCollector>> | undefined;
  afterEach(() => collector?.close());

  it('should log a failing collector once and still shut down cleanly', async () => {
    collector = await refusingCollector();
    const lines: { level: number; msg: string; droppedSpans?: number }[] = [];
    const logger = pino({ level: 'info' }, new Writable({ write: (chunk, _enc, done) => (lines.push(JSON.parse(String(chunk))), done()) }));
    const tracer = new OtelCallTracer({ tracesUrl: collector.url, serviceName: 't', headers: {} }, logger);
    for (let round = 0; round < 2; round++) {
      tracer.start('mcp.request', { kind: 'server' }).end();
      await tracer.flush().catch(() => undefined);
    }
    const outages = lines.filter((l) => l.msg.startsWith('OpenTelemetry collector at'));
    expect(outages).toEqual([expect.objectContaining({ level: 40, msg: expect.stringContaining('unavailable'), droppedSpans: 1 })]);
    tracer.start('mcp.request', { kind: 'server' }).end();
    await expect(tracer.onApplicationShutdown()).resolves.toBeUndefined();
  });
});

import { describe, expect, it } from '@jest/globals';
import { ExpressAdapter } from '@nestjs/platform-express';
import type { Express } from 'express';
import { execFileSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { HubExpressAdapter } from './hub-express.adapter.js';

/** Serves `count` POSTs through the adapter's server; `probe` sees each request as the server gets it. */
async function serve(adapter: ExpressAdapter, count: number, probe: (req: object, res: object) => void): Promise<void> {
  adapter.initHttpServer({});
  const app = adapter.getInstance<Express>();
  app.post('/x', (_req, res) => void res.status(201).json({ ok: true }));
  const server = adapter.getHttpServer() as Server;
  server.prependListener('request', probe);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    for (let i = 0; i < count; i++) expect((await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/x`, { method: 'POST' })).status).toBe(201);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

/**
 * Whether the last two responses served through `adapter` ended with the same V8 map, asked of V8 itself in a
 * child process (natives syntax cannot be turned on inside Jest's).
 */
function responsesShareMaps(adapter: 'HubExpressAdapter' | 'ExpressAdapter'): boolean {
  const script = `
    const { HubExpressAdapter } = await import(${JSON.stringify(join(import.meta.dirname, 'hub-express.adapter.ts'))});
    const { ExpressAdapter } = await import('@nestjs/platform-express');
    const sameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)');
    const adapter = new ${adapter}();
    adapter.initHttpServer({});
    const responses = [];
    adapter.getInstance().post('/x', (req, res) => { res.status(201).json({ ok: true }); responses.push(res); });
    const server = adapter.getHttpServer();
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    for (let i = 0; i < 12; i++) await (await fetch('http://127.0.0.1:' + server.address().port + '/x', { method: 'POST' })).text();
    server.close();
    process.stdout.write(String(sameMap(responses[10], responses[11])));`;
  const out = execFileSync(process.execPath, ['--allow-natives-syntax', '--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
  return JSON.parse(out) as boolean;
}

describe(HubExpressAdapter.name, () => {
  it('should give requests and responses Express prototypes at birth when the server makes them', async () => {
    const adapter = new HubExpressAdapter();
    const app = adapter.getInstance<Express>();
    const born: boolean[] = [];
    await serve(adapter, 2, (req, res) => born.push(Object.getPrototypeOf(req) === app.request, Object.getPrototypeOf(res) === app.response));
    expect(born).toEqual([true, true, true, true]);
  });

  it("should let every response share V8's maps when the server has served several (Nest's own adapter does not)", () => {
    expect(responsesShareMaps('HubExpressAdapter')).toBe(true);
    // The control: Express swapping prototypes per request leaves each response with maps of its own.
    expect(responsesShareMaps('ExpressAdapter')).toBe(false);
  }, 60_000);

  it('should refuse server options it does not reproduce when asked to create the server', () => {
    expect(() => new HubExpressAdapter().initHttpServer({ forceCloseConnections: true })).toThrow(/forceCloseConnections option is not supported/);
    expect(() => new HubExpressAdapter().initHttpServer({ httpsOptions: {} as never })).toThrow(/httpsOptions/);
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Agent, createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startRoundRobinProxy, type RoundRobinProxy } from '../support/round-robin-proxy.js';

/** GET with `agent` (false: a connection of its own, closed after the answer): the response's status and headers. */
function get(url: string, agent: Agent | false): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.once('error', reject);
    req.end();
  });
}

// The balancer the scale-out specs and bench put in front of hubs: it must behave as a real one (nginx) does.
describe('round-robin test balancer', () => {
  let backend: Server;
  let proxy: RoundRobinProxy;
  const seen: IncomingHttpHeaders[] = [];

  beforeAll(async () => {
    backend = createServer((req, res) => {
      seen.push(req.headers);
      res.end('ok');
    });
    backend.keepAliveTimeout = 65_000; // as the hub's (apps/hub/src/create-hub-app.ts)
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
    proxy = await startRoundRobinProxy([`http://127.0.0.1:${(backend.address() as AddressInfo).port}`]);
  });
  afterAll(async () => {
    await proxy?.close();
    await new Promise((resolve) => backend?.close(resolve));
  });

  it("should tell a keep-alive client the balancer's own idle time, not the backend's", async () => {
    const agent = new Agent({ keepAlive: true });
    try {
      const res = await get(`${proxy.url}/x`, agent);
      expect(res).toMatchObject({ status: 200, body: 'ok' });
      // The balancer (Node's server) closes an idle connection after 5 s. Told the backend's 65 s, a client reused
      // connections the balancer had closed, and its POSTs failed with ECONNRESET.
      expect(res.headers['keep-alive']).toBe('timeout=5');
    } finally {
      agent.destroy();
    }
  });

  it("should not pass a client's connection headers on to the backend", async () => {
    const res = await get(`${proxy.url}/y`, false); // sends Connection: close, about its own connection only
    expect(res.status).toBe(200);
    expect(seen.at(-1)?.connection).toBe('keep-alive'); // the balancer's own connection to the backend
  });
});

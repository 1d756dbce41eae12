import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlive } from '../../../../test/support/processes.js';
import { AuthorizationChallengeError } from './authorization-challenge.js';
import { probeServer } from './probe-server.js';

const dir = mkdtempSync(join(tmpdir(), 'probe-spec-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe(probeServer.name, () => {
  it('should time out on a server that never answers and stop its process', async () => {
    const pidFile = join(dir, 'silent.pid');
    // Writes its pid, then ignores stdin (and its end) so only a signal stops it.
    const script = `require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); setInterval(() => {}, 1000);`;
    await expect(
      probeServer({ type: 'stdio', command: process.execPath, args: ['-e', script], env: {} }, 500),
    ).rejects.toThrow('timed out after 500 ms');
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(pid).toBeGreaterThan(0);
    expect(isAlive(pid)).toBe(false);
  });

  it("should report a crashing server's last stderr lines", async () => {
    const script = "console.error('config error: MISSING_TOKEN is not set'); process.exit(3);";
    await expect(probeServer({ type: 'stdio', command: process.execPath, args: ['-e', script], env: {} }, 5000)).rejects.toThrow(
      /MISSING_TOKEN is not set/,
    );
  });

  it('should take a server that offers resources but has no resources/templates/list as having no templates', async () => {
    const server = join(process.cwd(), 'test/support/token-reporting-server.mjs');
    const found = await probeServer({ type: 'stdio', command: process.execPath, args: [server], env: {} }, 10_000);
    expect(found.resources).toEqual([{ uri: 'token://self', name: 'self' }]);
    expect(found.resourceTemplates).toEqual([]);
    expect(found.tools.map((t) => t.name)).toEqual(['whoami', 'announce', 'announce-later', 'touch-later']);
  });

  it('should fail with the cause when the command does not exist', async () => {
    await expect(probeServer({ type: 'stdio', command: join(dir, 'no-such-binary'), args: [], env: {} }, 5000)).rejects.toThrow(
      /ENOENT/,
    );
  });

  it.each(['sse', 'streamable-http'] as const)('should send the configured headers over %s', async (type) => {
    const seen: { method?: string; headers: IncomingHttpHeaders }[] = [];
    const upstream = createServer((req, res) => {
      seen.push({ method: req.method, headers: req.headers });
      res.writeHead(403).end();
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/mcp`;
      await expect(probeServer({ type, url, headers: { 'X-Api-Key': 'k-123', Authorization: 'Bearer t-456' } }, 5000)).rejects.toThrow();
    } finally {
      upstream.closeAllConnections();
      await new Promise((resolve) => upstream.close(resolve));
    }
    // SSE opens its stream with GET (made by the EventSource), Streamable HTTP starts with POST initialize.
    expect(seen[0].method).toBe(type === 'sse' ? 'GET' : 'POST');
    expect(seen[0].headers['x-api-key']).toBe('k-123');
    expect(seen[0].headers.authorization).toBe('Bearer t-456');
  });

  it.each(['sse', 'streamable-http'] as const)('should tell an OAuth challenge (401 with resource metadata) from a bare 401 over %s', async (type) => {
    let challenge = true;
    const upstream = createServer((req, res) => {
      const header = challenge ? { 'www-authenticate': 'Bearer error="invalid_token", resource_metadata="http://127.0.0.1/.well-known/oauth-protected-resource/mcp"' } : {};
      res.writeHead(401, header).end();
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/mcp`;
      await expect(probeServer({ type, url, headers: {} }, 5000)).rejects.toBeInstanceOf(AuthorizationChallengeError);
      challenge = false;
      const bare = await probeServer({ type, url, headers: { Authorization: 'Bearer wrong' } }, 5000).catch((e: Error) => e);
      expect(bare).toBeInstanceOf(Error);
      expect(bare).not.toBeInstanceOf(AuthorizationChallengeError);
    } finally {
      upstream.closeAllConnections();
      await new Promise((resolve) => upstream.close(resolve));
    }
  });

  it('should fail fast with the cause when nothing listens at the URL', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createTcpServer().listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as AddressInfo;
        probe.close(() => resolve(free));
      });
    });
    await expect(probeServer({ type: 'streamable-http', url: `http://127.0.0.1:${port}/mcp`, headers: {} }, 5000)).rejects.toThrow(
      'fetch failed: ECONNREFUSED',
    );
  });
});

import { describe, expect, it } from '@jest/globals';
import { randomBytes, randomUUID } from 'node:crypto';
import { SealedColumnRegistry, SecretBox } from '#core';
import { ServerTransport } from './mcp-server.entity.js';
import { ServerEndpoint } from './endpoints/server-endpoint.entity.js';
import { ServerSecrets, UNREADABLE_MASK, maskSecret, secretContext } from './server-secrets.js';

describe(maskSecret.name, () => {
  it.each([
    ['', '••••'],
    ['abc', '••••'],
    ['1234567', '••••'],
    ['12345678', '••••78'],
    ['sk-live-abcdefghijklmnop', '••••op'],
  ])('should mask %j as %j', (value, masked) => {
    expect(maskSecret(value)).toBe(masked);
  });
});

describe(ServerSecrets.name, () => {
  const box = new SecretBox(randomBytes(32));
  const secrets = new ServerSecrets(box, new SealedColumnRegistry());

  function server(overrides: Partial<ServerEndpoint>): ServerEndpoint & { slug: string } {
    return Object.assign(new ServerEndpoint(), {
      id: randomUUID(),
      slug: 'srv',
      transport: ServerTransport.STDIO,
      command: 'node',
      args: [],
      cwd: null,
      url: null,
      env: [],
      headers: [],
      ...overrides,
    });
  }

  it('should seal values bound to the server id and entry name', () => {
    const s = server({});
    const [sealed] = secrets.seal(s.id, 'env', [{ name: 'TOKEN', value: 'super-secret-value' }]);
    expect(sealed.value).not.toContain('super-secret-value');
    expect(box.open(sealed.value, secretContext(s.id, 'env', 'TOKEN'))).toBe('super-secret-value');
    expect(() => box.open(sealed.value, secretContext(randomUUID(), 'env', 'TOKEN'))).toThrow();
    expect(() => box.open(sealed.value, secretContext(s.id, 'header', 'TOKEN'))).toThrow();
  });

  it('should mask stored values and flag ones that cannot be opened', () => {
    const s = server({});
    s.env = [
      ...secrets.seal(s.id, 'env', [{ name: 'LONG', value: 'abcdefghXY' }, { name: 'SHORT', value: 'abc' }]),
      // Copied from another server: the context does not match.
      ...secrets.seal(randomUUID(), 'env', [{ name: 'STOLEN', value: 'abcdefghij' }]),
    ];
    expect(secrets.mask(s, 'env')).toEqual([
      { name: 'LONG', maskedValue: '••••XY' },
      { name: 'SHORT', maskedValue: '••••' },
      { name: 'STOLEN', maskedValue: UNREADABLE_MASK },
    ]);
  });

  it('should build transport configs with secrets in clear', () => {
    const stdio = server({ cwd: '/srv', args: ['a'] });
    stdio.env = secrets.seal(stdio.id, 'env', [{ name: 'TOKEN', value: 't0k3n' }]);
    expect(secrets.transportConfig(stdio)).toEqual({ type: 'stdio', command: 'node', args: ['a'], env: { TOKEN: 't0k3n' }, cwd: '/srv' });

    const http = server({ transport: ServerTransport.STREAMABLE_HTTP, command: null, url: 'https://x.example/mcp' });
    http.headers = secrets.seal(http.id, 'header', [{ name: 'Authorization', value: 'Bearer abc' }]);
    expect(secrets.transportConfig(http)).toEqual({
      type: 'streamable-http',
      url: 'https://x.example/mcp',
      headers: { Authorization: 'Bearer abc' },
    });
    expect(secrets.transportConfig({ ...http, transport: ServerTransport.SSE }).type).toBe('sse');
  });

  it('should refuse to build a transport config when a secret cannot be opened', () => {
    const s = server({ env: secrets.seal(randomUUID(), 'env', [{ name: 'TOKEN', value: 'x' }]) });
    expect(() => secrets.transportConfig(s)).toThrow(/TOKEN.*can no longer be decrypted/);
  });
});

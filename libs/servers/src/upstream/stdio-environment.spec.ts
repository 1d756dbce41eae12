import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { createUpstreamTransport } from './create-upstream-transport.js';
import { INHERITED_ENV_VARS, minimalStdioEnv } from './stdio-environment.js';

const HUB_SECRETS = {
  HUB_ENCRYPTION_KEY: 'hub-encryption-key-value',
  JWT_SECRET: 'hub-jwt-secret-value',
  DATABASE_URL: 'postgres://user:pw@db/hub',
  REDIS_URL: 'redis://:pw@redis:6379',
  ADMIN_PASSWORD: 'admin-password-value',
  AWS_SECRET_ACCESS_KEY: 'aws-secret',
};

describe(minimalStdioEnv.name, () => {
  it('should pass only the inherited basics and the server env', () => {
    const parent = { PATH: '/usr/bin', HOME: '/home/hub', LANG: 'C.UTF-8', TMPDIR: '/tmp', ...HUB_SECRETS };
    expect(minimalStdioEnv({ TOKEN: 'server-token' }, parent)).toEqual({
      PATH: '/usr/bin',
      HOME: '/home/hub',
      LANG: 'C.UTF-8',
      TMPDIR: '/tmp',
      TOKEN: 'server-token',
    });
  });

  it('should let the server env override an inherited variable and skip missing ones', () => {
    expect(minimalStdioEnv({ PATH: '/opt/bin' }, { PATH: '/usr/bin' })).toEqual({ PATH: '/opt/bin' });
  });

  it('should not inherit exported shell functions', () => {
    expect(minimalStdioEnv({}, { HOME: '() { :; }; echo pwned' })).toEqual({});
  });

  it('should list no variable that could hold a hub secret', () => {
    for (const name of Object.keys(HUB_SECRETS)) expect(INHERITED_ENV_VARS).not.toContain(name);
  });
});

describe(createUpstreamTransport.name, () => {
  const saved: Record<string, string | undefined> = {};
  beforeEach(() => {
    for (const [name, value] of Object.entries(HUB_SECRETS)) {
      saved[name] = process.env[name];
      process.env[name] = value;
    }
  });
  afterEach(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it("should start a stdio child that sees its own env but none of the hub's secrets", async () => {
    // The child reports its environment as a JSON-RPC notification, then waits to be stopped.
    const script =
      "process.stdout.write(JSON.stringify({ jsonrpc: '2.0', method: 'env', params: process.env }) + '\\n');" +
      'process.stdin.resume(); process.stdin.on("end", () => process.exit(0));';
    const transport = createUpstreamTransport({
      type: 'stdio',
      command: process.execPath,
      args: ['-e', script],
      env: { SERVER_TOKEN: 'server-token-value' },
    }) as StdioClientTransport;
    const received = new Promise<JSONRPCMessage>((resolve, reject) => {
      transport.onmessage = resolve;
      transport.onerror = reject;
    });
    await transport.start();
    try {
      const message = (await received) as { params: Record<string, string> };
      expect(message.params.SERVER_TOKEN).toBe('server-token-value');
      expect(message.params.PATH).toBe(process.env.PATH);
      const childEnv = JSON.stringify(message.params);
      for (const [name, value] of Object.entries(HUB_SECRETS)) {
        expect(message.params[name]).toBeUndefined();
        expect(childEnv).not.toContain(value);
      }
    } finally {
      await transport.close();
    }
    expect(transport.pid).toBeNull();
  });
});

import { describe, expect, it } from '@jest/globals';
import { DomainError, ErrorCode } from '#core';
import { ServerCredentialScope, ServerTransport } from './mcp-server.entity.js';
import { mergeServerUpdate, type StoredServerConfig } from './merge-server-update.js';

const stored: StoredServerConfig = {
  slug: 'everything',
  name: 'Everything',
  transport: ServerTransport.STDIO,
  command: 'node',
  args: ['index.js', 'stdio'],
  env: [
    { name: 'API_TOKEN', value: 'old-token-value' },
    { name: 'REGION', value: 'eu' },
  ],
  cwd: '/srv',
  url: null,
  headers: [],
  description: 'desc',
  tags: ['a'],
  enabled: true,
  credentialScope: ServerCredentialScope.SHARED,
};

describe(mergeServerUpdate.name, () => {
  it('should keep everything not mentioned', () => {
    expect(mergeServerUpdate(stored, {})).toEqual({ ...stored, env: stored.env });
  });

  it('should replace the env list and keep the stored secret for a null value', () => {
    const merged = mergeServerUpdate(stored, { env: [{ name: 'API_TOKEN', value: null }, { name: 'NEW', value: 'v' }] });
    expect(merged.env).toEqual([
      { name: 'API_TOKEN', value: 'old-token-value' },
      { name: 'NEW', value: 'v' },
    ]);
  });

  it('should name the entry when a null value has nothing stored to keep', () => {
    expect(() => mergeServerUpdate(stored, { env: [{ name: 'UNKNOWN', value: null }] })).toThrow('input.env.0.value');
  });

  it('should refuse to keep a value that can no longer be decrypted', () => {
    const broken = { ...stored, env: [{ name: 'API_TOKEN', value: undefined }] };
    expect(() => mergeServerUpdate(broken, { env: [{ name: 'API_TOKEN', value: null }] })).toThrow(/can no longer be decrypted/);
    try {
      mergeServerUpdate(broken, { name: 'x' });
      throw new Error('expected an error');
    } catch (error) {
      expect((error as DomainError).code).toBe(ErrorCode.SECRET_UNREADABLE);
    }
    // A new value replaces the unreadable one.
    expect(mergeServerUpdate(broken, { env: [{ name: 'API_TOKEN', value: 'fresh' }] }).env).toEqual([{ name: 'API_TOKEN', value: 'fresh' }]);
  });

  it('should match header names case-insensitively when keeping values', () => {
    const http = { ...stored, transport: ServerTransport.SSE, command: null, args: [], env: [], cwd: null, url: 'https://x', headers: [{ name: 'Authorization', value: 'Bearer a' }] };
    expect(mergeServerUpdate(http, { headers: [{ name: 'authorization', value: null }] }).headers).toEqual([
      { name: 'authorization', value: 'Bearer a' },
    ]);
  });

  it('should drop the old transport fields when switching transport', () => {
    const merged = mergeServerUpdate(stored, { transport: ServerTransport.STREAMABLE_HTTP, url: 'https://x.example/mcp' });
    expect(merged).toMatchObject({ command: null, args: [], env: [], cwd: null, url: 'https://x.example/mcp', headers: [] });
  });

  it('should clear nullable fields given as null and ignore null for the others', () => {
    const merged = mergeServerUpdate(stored, { description: null, cwd: null, name: null, tags: null, enabled: false });
    expect(merged).toMatchObject({ description: null, cwd: null, name: 'Everything', tags: ['a'], enabled: false });
  });
});

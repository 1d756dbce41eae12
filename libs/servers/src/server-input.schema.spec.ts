import { describe, expect, it } from '@jest/globals';
import { DomainError, ErrorCode, validate } from '#core';
import { ServerCredentialScope, ServerTransport } from './mcp-server.entity.js';
import { serverConfigSchema, type ServerConfigInput } from './server-input.schema.js';

const stdio: ServerConfigInput = { name: 'Everything', transport: ServerTransport.STDIO, command: 'node', args: ['server.js'] };
const http: ServerConfigInput = { name: 'Remote', transport: ServerTransport.STREAMABLE_HTTP, url: 'https://mcp.example.com/mcp' };

function fieldOf(input: unknown): string {
  try {
    validate(serverConfigSchema, input, 'input');
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe(ErrorCode.BAD_INPUT);
    expect((error as DomainError).message.startsWith(`${(error as DomainError).details.field}:`)).toBe(true);
    return String((error as DomainError).details.field);
  }
  throw new Error('expected a validation error');
}

describe('serverConfigSchema', () => {
  it('should accept a STDIO server and default the optional fields', () => {
    expect(validate(serverConfigSchema, stdio, 'input')).toEqual({
      name: 'Everything',
      slug: null,
      transport: ServerTransport.STDIO,
      command: 'node',
      args: ['server.js'],
      env: [],
      cwd: null,
      url: null,
      headers: [],
      description: null,
      tags: [],
      enabled: true,
      credentialScope: ServerCredentialScope.SHARED,
    });
  });

  it.each([ServerTransport.SSE, ServerTransport.STREAMABLE_HTTP])('should accept an http(s) URL for %s', (transport) => {
    const out = validate(serverConfigSchema, { ...http, transport, headers: [{ name: 'Authorization', value: 'Bearer x' }], args: [] }, 'input');
    expect(out).toMatchObject({ transport, url: 'https://mcp.example.com/mcp', command: null, args: [], env: [] });
    expect(out.headers).toEqual([{ name: 'Authorization', value: 'Bearer x' }]);
  });

  it.each([
    ['STDIO without command', { ...stdio, command: undefined }, 'input.command'],
    ['STDIO with a blank command', { ...stdio, command: '   ' }, 'input.command'],
    ['STDIO with a url', { ...stdio, url: 'http://x' }, 'input.url'],
    ['STDIO with headers', { ...stdio, headers: [{ name: 'X-A', value: '1' }] }, 'input.headers'],
    ['STDIO with a relative cwd', { ...stdio, cwd: 'relative/dir' }, 'input.cwd'],
    ['HTTP without url', { ...http, url: null }, 'input.url'],
    ['HTTP with a non-URL', { ...http, url: 'not a url' }, 'input.url'],
    ['HTTP with a file: URL', { ...http, url: 'file:///etc/passwd' }, 'input.url'],
    ['HTTP with credentials in the URL', { ...http, url: 'https://user:pw@example.com/mcp' }, 'input.url'],
    ['HTTP with a command', { ...http, command: 'node' }, 'input.command'],
    ['HTTP with args', { ...http, args: ['x'] }, 'input.args'],
    ['HTTP with env', { ...http, env: [{ name: 'A', value: '1' }] }, 'input.env'],
    ['HTTP with a cwd', { ...http, transport: ServerTransport.SSE, cwd: '/tmp' }, 'input.cwd'],
    ['an unknown transport', { ...http, transport: 'WEBSOCKET' }, 'input.transport'],
    ['a bad slug', { ...stdio, slug: 'Not_A_Slug' }, 'input.slug'],
    ['an empty name', { ...stdio, name: ' ' }, 'input.name'],
    ['a bad env name', { ...stdio, env: [{ name: '1BAD', value: 'x' }] }, 'input.env.0.name'],
    ['an env name with a dash', { ...stdio, env: [{ name: 'OK', value: '' }, { name: 'NOT-OK', value: 'x' }] }, 'input.env.1.name'],
    ['a duplicate env name', { ...stdio, env: [{ name: 'A', value: '1' }, { name: 'A', value: '2' }] }, 'input.env.1.name'],
    ['a header name with a space', { ...http, headers: [{ name: 'X Api', value: 'x' }] }, 'input.headers.0.name'],
    ['a header set by the MCP client', { ...http, headers: [{ name: 'Mcp-Session-Id', value: 'x' }] }, 'input.headers.0.name'],
    ['duplicate headers differing in case', { ...http, headers: [{ name: 'X-A', value: '1' }, { name: 'x-a', value: '2' }] }, 'input.headers.1.name'],
    ['a value over 8 KiB', { ...stdio, env: [{ name: 'BIG', value: 'x'.repeat(8 * 1024 + 1) }] }, 'input.env.0.value'],
    ['a multi-byte value over 8 KiB', { ...stdio, env: [{ name: 'BIG', value: 'é'.repeat(4097) }] }, 'input.env.0.value'],
    ['51 env entries', { ...stdio, env: Array.from({ length: 51 }, (_, i) => ({ name: `V${i}`, value: 'x' })) }, 'input.env'],
    ['an unknown field', { ...stdio, shell: true }, 'input'],
  ])('should reject %s naming %s', (_case, input, field) => {
    expect(fieldOf(input)).toBe(field);
  });

  it('should accept 50 entries and a value of exactly 8 KiB', () => {
    const env = Array.from({ length: 50 }, (_, i) => ({ name: `V_${i}`, value: i === 0 ? 'x'.repeat(8 * 1024) : '' }));
    expect(validate(serverConfigSchema, { ...stdio, env }, 'input').env).toHaveLength(50);
  });

  it('should treat empty lists of the other transport as absent', () => {
    const out = validate(serverConfigSchema, { ...http, args: [], env: [], command: null, cwd: null }, 'input');
    expect(out.url).toBe('https://mcp.example.com/mcp');
  });

  it('should de-duplicate tags and store a blank description as null', () => {
    const out = validate(serverConfigSchema, { ...stdio, tags: ['a', 'b', 'a'], description: '  ' }, 'input');
    expect(out.tags).toEqual(['a', 'b']);
    expect(out.description).toBeNull();
  });
});

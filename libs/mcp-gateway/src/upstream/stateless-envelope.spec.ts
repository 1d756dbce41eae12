import { describe, expect, it } from '@jest/globals';
import { encodeHeaderValue } from '../protocol/param-headers.js';
import { statelessHeaders, withEnvelope, withoutSubscriptionId } from './stateless-envelope.js';

describe('stateless-envelope', () => {
  it('should mirror params.name or params.uri in Mcp-Name only for the methods that carry one', () => {
    expect(statelessHeaders('tools/call', { name: 'echo' })).toEqual({ 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'echo' });
    expect(statelessHeaders('resources/read', { uri: 'file:///a b' })['mcp-name']).toBe('file:///a b');
    expect(statelessHeaders('tools/list', { name: 'ignored' })).toEqual({ 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/list' });
  });

  it('should base64-encode header values that are not plain visible ASCII', () => {
    expect(encodeHeaderValue('plain-name_1.0')).toBe('plain-name_1.0');
    expect(encodeHeaderValue('café')).toBe(`=?base64?${Buffer.from('café').toString('base64')}?=`);
    expect(encodeHeaderValue(' padded')).toMatch(/^=\?base64\?/);
    expect(encodeHeaderValue('')).toBe('=?base64??=');
    expect(encodeHeaderValue('=?base64?abc?=')).toMatch(/^=\?base64\?PT9iYXNl/);
  });

  it("should add the envelope without losing the caller's _meta, and the log level only when given", () => {
    const params = withEnvelope({ name: 'x', _meta: { progressToken: 'hub-1' } }, { elicitation: {} }, 'info');
    expect(params).toEqual({
      name: 'x',
      _meta: {
        progressToken: 'hub-1',
        'io.modelcontextprotocol/protocolVersion': '2026-07-28',
        'io.modelcontextprotocol/clientCapabilities': { elicitation: {} },
        'io.modelcontextprotocol/clientInfo': { name: 'mcp-hub', version: '0.1.0' },
        'io.modelcontextprotocol/logLevel': 'info',
      },
    });
    expect(withEnvelope({})._meta).not.toHaveProperty(['io.modelcontextprotocol/logLevel']);
  });

  it("should drop the upstream's subscription id from notifications passed on", () => {
    const message = { jsonrpc: '2.0', method: 'notifications/resources/updated', params: { uri: 'u', _meta: { 'io.modelcontextprotocol/subscriptionId': 3, other: 1 } } };
    expect(withoutSubscriptionId(message).params._meta).toEqual({ other: 1 });
  });
});

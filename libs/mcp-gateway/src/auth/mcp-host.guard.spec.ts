import { describe, expect, it } from '@jest/globals';
import { splitHost } from './mcp-host.guard.js';

describe('splitHost', () => {
  it('should split names, ports and bracketed IPv6 and lower-case them', () => {
    expect(splitHost('Hub.Example.com:8443')).toEqual({ name: 'hub.example.com', port: '8443' });
    expect(splitHost('hub.example.com')).toEqual({ name: 'hub.example.com', port: '' });
    expect(splitHost('[::1]:3000')).toEqual({ name: '[::1]', port: '3000' });
    expect(splitHost('[::1]')).toEqual({ name: '[::1]', port: '' });
  });

  it('should not read a name with extra colons as an allowed name and port', () => {
    expect(splitHost('localhost:80:evil').name).not.toBe('localhost');
  });
});

import { describe, expect, it } from '@jest/globals';
import { forbiddenRange } from './address-classification.js';
import { EgressPolicy } from './egress-policy.js';

/** What a registered URL's host becomes after WHATWG URL parsing, then the policy's verdict on it. */
const hostOf = (url: string) => new URL(url).hostname;

describe(EgressPolicy.name, () => {
  const policy = new EgressPolicy([]);

  it.each([
    ['http://127.0.0.1/', 'loopback'],
    ['http://127.8.9.10:8080/', 'loopback'],
    ['http://2130706433/', 'loopback'], // decimal 127.0.0.1
    ['http://0x7f.1/', 'loopback'], // hex + short form
    ['http://0177.0.0.1/', 'loopback'], // octal
    ['http://localhost:3000/', 'local host name'],
    ['http://api.localhost/', 'local host name'],
    ['http://[::1]/', 'loopback'],
    ['http://0.0.0.0/', 'unspecified'],
    ['http://0/', 'unspecified'],
    ['http://[::]/', 'unspecified'],
    ['http://10.1.2.3/', 'private'],
    ['http://172.16.0.1/', 'private'],
    ['http://172.31.255.255/', 'private'],
    ['http://192.168.1.1/', 'private'],
    ['http://100.64.0.1/', 'carrierGradeNat'],
    ['http://169.254.169.254/latest/meta-data/', 'linkLocal'],
    ['http://0xa9fea9fe/', 'linkLocal'], // 169.254.169.254 in hex
    ['http://[fe80::1]/', 'linkLocal'],
    ['http://[fd00:ec2::254]/', 'uniqueLocal'],
    ['http://[fc00::1]/', 'uniqueLocal'],
    ['http://224.0.0.1/', 'multicast'],
    ['http://[ff02::1]/', 'multicast'],
    ['http://255.255.255.255/', 'broadcast'],
    ['http://[::ffff:127.0.0.1]/', 'loopback (embedded in IPv6)'],
    ['http://[::ffff:a9fe:a9fe]/', 'linkLocal (embedded in IPv6)'],
    ['http://[::ffff:10.0.0.1]/', 'private (embedded in IPv6)'],
    ['http://[::127.0.0.1]/', 'loopback (embedded in IPv6)'], // IPv4-compatible
    ['http://[64:ff9b::a9fe:a9fe]/', 'linkLocal (embedded in IPv6)'], // NAT64
    ['http://[2002:7f00:1::]/', 'loopback (embedded in IPv6)'], // 6to4
    ['http://[2001::1]/', 'teredo'],
    ['http://metadata.google.internal/computeMetadata/v1/', 'metadata'],
    ['http://METADATA.GOOGLE.INTERNAL./', 'metadata'],
    ['http://metadata/', 'metadata'],
    ['http://instance-data.ec2.internal/', 'metadata'],
  ])('should refuse %s when the owner is restricted', (url, what) => {
    const refusal = policy.hostRefusal(hostOf(url));
    expect(refusal).not.toBeNull();
    if (what === 'metadata' || what === 'local host name') expect(refusal).toBe('a metadata or local host name');
    else expect(refusal).toBe(`a ${what} address`);
  });

  it.each(['http://93.184.215.14/', 'http://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/', 'http://[::ffff:5db8:d70e]/', 'https://mcp.example.com/mcp'])(
    'should allow the public destination %s',
    (url) => {
      expect(policy.hostRefusal(hostOf(url))).toBeNull();
    },
  );

  it('should allow hosts, IPs and CIDRs from UPSTREAM_ALLOWED_HOSTS and nothing next to them', () => {
    const allowing = new EgressPolicy(['mcp.internal', '10.20.0.0/16', '127.0.0.1', 'fd00::/8', 'metadata.google.internal']);
    expect(allowing.hostRefusal('10.20.3.4')).toBeNull();
    expect(allowing.hostRefusal('10.21.0.1')).toBe('a private address');
    expect(allowing.hostRefusal('127.0.0.1')).toBeNull();
    expect(allowing.hostRefusal('127.0.0.2')).toBe('a loopback address');
    expect(allowing.hostRefusal('[::ffff:127.0.0.1]')).toBeNull();
    expect(allowing.hostRefusal('[fd12::1]')).toBeNull();
    expect(allowing.hostRefusal('metadata.google.internal')).toBeNull();
    // An allowed name may resolve to internal addresses; other names may not.
    expect(allowing.resolvedRefusal('MCP.internal.', '192.168.0.7')).toBeNull();
    expect(allowing.resolvedRefusal('evil.example', '192.168.0.7')).toBe('a private address');
    expect(allowing.resolvedRefusal('evil.example', '10.20.9.9')).toBeNull();
  });

  it('should refuse what is not strict IP text instead of guessing', () => {
    expect(forbiddenRange('0x7f.1')).toBe('invalid');
    expect(forbiddenRange('2130706433')).toBe('invalid');
    expect(forbiddenRange('fe80::1%eth0')).toBe('linkLocal');
  });

  it('should reject an allowlist entry that is not a host, IP or CIDR', () => {
    expect(() => new EgressPolicy(['10.0.0.0/33'])).toThrow();
  });
});

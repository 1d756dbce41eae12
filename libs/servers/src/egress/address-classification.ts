import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Why an address is not a public unicast destination ('loopback', 'private', 'linkLocal', …), or null when it is.
 * Only strict IP text is accepted (what a resolver returns, or a WHATWG-normalised URL host): anything else is
 * refused as 'invalid' rather than guessed at.
 */
export function forbiddenRange(address: string): string | null {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (!isIP(bare)) return 'invalid';
  const ip = ipaddr.parse(bare);
  if (ip.kind() === 'ipv4') return ipv4Range(ip as ipaddr.IPv4);
  return ipv6Range(ip as ipaddr.IPv6);
}

function ipv4Range(ip: ipaddr.IPv4): string | null {
  const range = ip.range();
  return range === 'unicast' ? null : range;
}

/** Forms that carry an IPv4 address are judged by that address; other special IPv6 ranges are refused outright. */
function ipv6Range(ip: ipaddr.IPv6): string | null {
  const embedded = embeddedIPv4(ip);
  if (embedded) {
    const inner = ipv4Range(embedded);
    return inner ? `${inner} (embedded in IPv6)` : null;
  }
  const range = ip.range();
  return range === 'unicast' ? null : range;
}

function embeddedIPv4(ip: ipaddr.IPv6): ipaddr.IPv4 | null {
  const p = ip.parts;
  const last32 = () => new ipaddr.IPv4([p[6] >> 8, p[6] & 0xff, p[7] >> 8, p[7] & 0xff]);
  const range = ip.range();
  // ::ffff:a.b.c.d (mapped), ::ffff:0:a.b.c.d (RFC 6145), 64:ff9b::a.b.c.d (NAT64, RFC 6052).
  if (range === 'ipv4Mapped' || range === 'rfc6145') return last32();
  if (range === 'rfc6052' && p[2] === 0) return last32();
  // 2002:aabb:ccdd::/48 (6to4) embeds aa.bb.cc.dd.
  if (range === '6to4') return new ipaddr.IPv4([p[1] >> 8, p[1] & 0xff, p[2] >> 8, p[2] & 0xff]);
  // ::a.b.c.d (deprecated IPv4-compatible); :: and ::1 have their own ranges.
  if (p.slice(0, 6).every((x) => x === 0) && range !== 'unspecified' && range !== 'loopback') return last32();
  return null;
}

/**
 * Names that reach cloud instance metadata or the hub itself whatever DNS says. Lower case, without trailing dot.
 * The resolved-address check catches these too where they resolve to link-local or loopback; naming them gives
 * a clear registration error and covers resolvers that answer with something else.
 */
const FORBIDDEN_NAMES = new Set([
  'localhost',
  'metadata',
  'metadata.google.internal',
  'metadata.goog',
  'metadata.azure.internal',
  'instance-data',
  'instance-data.ec2.internal',
]);

export function isForbiddenHostName(host: string): boolean {
  const name = normaliseHostName(host);
  return FORBIDDEN_NAMES.has(name) || name.endsWith('.localhost');
}

export function normaliseHostName(host: string): string {
  return host.toLowerCase().replace(/\.$/, '');
}

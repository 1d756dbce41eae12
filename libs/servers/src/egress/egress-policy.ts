import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { forbiddenRange, isForbiddenHostName, normaliseHostName } from './address-classification.js';

/** Servers of admins connect anywhere; servers of everyone else only to public destinations and allowed hosts. */
export type EgressMode = 'restricted' | 'unrestricted';

/**
 * The hub's egress rules: which host names and addresses a restricted server may reach. Built once from
 * UPSTREAM_ALLOWED_HOSTS (host names, IPs, CIDRs), which admins use to allow internal destinations for everyone.
 */
export class EgressPolicy {
  private readonly names = new Set<string>();
  private readonly ranges: [ipaddr.IPv4 | ipaddr.IPv6, number][] = [];

  constructor(allowedHosts: string[]) {
    for (const raw of allowedHosts) {
      const entry = raw.trim().replace(/^\[|\]$/g, '');
      if (!entry) continue;
      if (entry.includes('/')) this.ranges.push(ipaddr.parseCIDR(entry));
      else if (isIP(entry)) {
        const ip = ipaddr.parse(entry);
        this.ranges.push([ip, ip.kind() === 'ipv4' ? 32 : 128]);
      } else this.names.add(normaliseHostName(entry));
    }
  }

  /** Why a URL host (a name or an IP literal, as WHATWG URL normalises it) may not be used; null when it may. */
  hostRefusal(host: string): string | null {
    const bare = host.replace(/^\[|\]$/g, '');
    if (isIP(bare)) return this.addressRefusal(bare);
    if (this.names.has(normaliseHostName(bare))) return null;
    return isForbiddenHostName(bare) ? 'a metadata or local host name' : null;
  }

  /** Why a resolved address of `host` may not be connected to; null when it may. */
  resolvedRefusal(host: string, address: string): string | null {
    if (this.names.has(normaliseHostName(host))) return null;
    return this.addressRefusal(address);
  }

  private addressRefusal(address: string): string | null {
    const range = forbiddenRange(address);
    if (!range) return null;
    const ip = ipaddr.parse(address.replace(/%.*$/, ''));
    const allowed = this.ranges.some(([net, bits]) => {
      if (net.kind() === ip.kind()) return ip.match(net, bits);
      // An allowed IPv4 range also allows its IPv4-mapped IPv6 form.
      return ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress() && (ip as ipaddr.IPv6).toIPv4Address().match(net, bits);
    });
    return allowed ? null : `a ${range} address`;
  }
}

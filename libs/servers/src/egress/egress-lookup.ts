import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { EgressRefusedError } from './egress.errors.js';
import type { EgressPolicy } from './egress-policy.js';

/** Resolves a host name to every address it has. The system resolver by default; tests inject their own. */
export type EgressResolver = (hostname: string) => Promise<LookupAddress[]>;

export const systemResolver: EgressResolver = (hostname) =>
  new Promise((resolve, reject) => dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))));

/**
 * A `dns.lookup` replacement for sockets (net/tls connect, http Agents, undici connectors). It resolves with the
 * given resolver and, when `policy` is set, refuses if ANY address is forbidden, so the check is made on what the
 * socket will really connect to, at connect time, for every connection (redirects, reconnects, DNS rebinding).
 */
export function createEgressLookup(resolver: EgressResolver, policy: EgressPolicy | null): LookupFunction {
  return (hostname: string, options: LookupOptions, callback) => {
    resolver(hostname).then(
      (found) => {
        const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family;
        const addresses = family ? found.filter((a) => a.family === family) : found;
        if (addresses.length === 0) {
          const error: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
          error.code = 'ENOTFOUND';
          return callback(error, options.all ? [] : '', 0);
        }
        const refused = policy && addresses.map((a) => policy.resolvedRefusal(hostname, a.address)).find((r) => r !== null);
        if (refused) return callback(new EgressRefusedError(hostname, refused), options.all ? [] : '', 0);
        if (options.all) callback(null, addresses);
        else callback(null, addresses[0].address, addresses[0].family);
      },
      (error: NodeJS.ErrnoException) => callback(error, options.all ? [] : '', 0),
    );
  };
}

import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { HUB_CONFIG, type HubConfig } from '#core';
import { RpcCode } from '../protocol/json-rpc.js';
import { McpHttpError } from '../transport/mcp-http-error.js';

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);
const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443' };

/** `name` and `port` of a Host header value (`[v6]:port` keeps its brackets), lower-cased. */
export function splitHost(value: string): { name: string; port: string } {
  const host = value.trim().toLowerCase();
  const match = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(host);
  return match ? { name: match[1], port: match[2] ?? '' } : { name: host, port: '' };
}

/**
 * DNS-rebinding protection for the MCP endpoints: the Host header must name this hub (PUBLIC_URL's host), a
 * loopback name on any port, or an ALLOWED_HOSTS entry (`host` = any port, `host:port` = that port). Runs before
 * authentication, so a rebound page learns nothing about keys.
 */
@Injectable()
export class McpHostGuard implements CanActivate {
  /** Exact `name:port` values. */
  private readonly exact = new Set<string>();
  /** Names allowed on any port. */
  private readonly anyPort = new Set<string>(LOOPBACK_NAMES);
  /** A Host without a port means PUBLIC_URL's scheme default. */
  private readonly defaultPort: string;

  constructor(@Inject(HUB_CONFIG) config: HubConfig) {
    const publicUrl = new URL(config.http.publicUrl);
    const { name, port } = splitHost(publicUrl.host);
    this.exact.add(`${name}:${port || DEFAULT_PORTS[publicUrl.protocol]}`);
    for (const entry of config.http.allowedHosts) {
      const allowed = splitHost(entry);
      if (allowed.port) this.exact.add(`${allowed.name}:${allowed.port}`);
      else this.anyPort.add(allowed.name);
    }
    this.defaultPort = DEFAULT_PORTS[publicUrl.protocol];
  }

  canActivate(context: ExecutionContext): boolean {
    const value = context.switchToHttp().getRequest<Request>().headers.host;
    if (!value) throw refuse('A Host header is required');
    const { name, port } = splitHost(value);
    if (this.anyPort.has(name) || this.exact.has(`${name}:${port || this.defaultPort}`)) return true;
    throw refuse(`Host "${value.slice(0, 100)}" is not allowed on MCP endpoints (DNS-rebinding protection): use PUBLIC_URL's host or add it to ALLOWED_HOSTS`);
  }
}

const refuse = (message: string) => new McpHttpError(403, RpcCode.INVALID_REQUEST, message);

import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import ipaddr from 'ipaddr.js';
import type { HubConfig } from '../config/hub-config.js';
import type { MetricsRegistry } from './metrics-registry.js';

export interface ScrapeRequest {
  authorization?: string;
  /** The TCP peer: never a forwarded-for header, which any client can write. */
  remoteAddress?: string;
  /** The request names a forwarded client (a proxy on this host relays it): not a local scrape. */
  forwarded: boolean;
}

export type ScrapeAccess = { ok: true } | { ok: false; status: 401 | 403 | 404; message: string };

const ALLOWED: ScrapeAccess = { ok: true };

/**
 * Who may read /metrics: nobody when disabled (404); with METRICS_TOKEN only a matching bearer token (401 else);
 * without one only a loopback peer that does not relay someone else (403 else).
 */
export function scrapeAccess(config: HubConfig['metrics'], request: ScrapeRequest): ScrapeAccess {
  if (!config.enabled) return { ok: false, status: 404, message: 'Not found' };
  if (config.token) {
    const presented = /^Bearer\s+(\S+)\s*$/i.exec(request.authorization ?? '')?.[1];
    if (presented !== undefined && sameSecret(presented, config.token)) return ALLOWED;
    return { ok: false, status: 401, message: 'Metrics need Authorization: Bearer <METRICS_TOKEN>' };
  }
  if (!request.forwarded && isLoopback(request.remoteAddress)) return ALLOWED;
  return { ok: false, status: 403, message: 'Without METRICS_TOKEN, metrics are served to loopback clients only; set METRICS_TOKEN to scrape from elsewhere' };
}

/** Constant time whatever the lengths: compares digests. */
function sameSecret(presented: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

function isLoopback(address: string | undefined): boolean {
  if (!address || !ipaddr.isValid(address)) return false;
  return ipaddr.process(address).range() === 'loopback';
}

const FORWARDING_HEADERS = ['x-forwarded-for', 'forwarded', 'x-real-ip'];

/** Answers one scrape on a plain Node response (the hub's Express route and the worker's own server share it). */
export async function serveMetrics(req: IncomingMessage, res: ServerResponse, config: HubConfig['metrics'], registry: MetricsRegistry): Promise<void> {
  const access = scrapeAccess(config, {
    authorization: req.headers.authorization,
    remoteAddress: req.socket.remoteAddress,
    forwarded: FORWARDING_HEADERS.some((h) => req.headers[h] !== undefined),
  });
  if (!access.ok) {
    const challenge = access.status === 401 ? { 'www-authenticate': 'Bearer realm="mcp-hub-metrics"' } : {};
    res.writeHead(access.status, { 'content-type': 'text/plain; charset=utf-8', ...challenge }).end(`${access.message}\n`);
    return;
  }
  const body = await registry.text();
  res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' }).end(body);
}

import { request, type Server } from 'node:http';
import type { Socket } from 'node:net';

/** A loopback source address tests use to play a remote client (see pretendRemotePeers). */
export const REMOTE_STAND_IN = '127.0.0.2';
export const REMOTE_ADDRESS_SEEN = '198.51.100.7';

/**
 * The server sees connections from REMOTE_STAND_IN as coming from a documentation-range address: how a spec
 * shows what a non-loopback scraper gets while every packet stays on loopback.
 */
export function pretendRemotePeers(server: Server): void {
  server.prependListener('connection', (socket: Socket) => {
    if (socket.remoteAddress === REMOTE_STAND_IN) Object.defineProperty(socket, 'remoteAddress', { value: REMOTE_ADDRESS_SEEN });
  });
}

export interface ScrapeOptions {
  token?: string;
  headers?: Record<string, string>;
  /** Source address of the connection (a fresh one per scrape). */
  from?: string;
}

/** GET <url>/metrics on a new connection. */
export function scrape(baseUrl: string, options: ScrapeOptions = {}, path = '/metrics'): Promise<{ status: number; contentType?: string; body: string }> {
  const url = new URL(path, baseUrl);
  const headers = { ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...options.headers };
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: url.pathname, headers, agent: false, localAddress: options.from }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, contentType: res.headers['content-type'], body }));
    });
    req.once('error', reject);
    req.end();
  });
}

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export function parseSamples(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[key] = value.replace(/\\(.)/g, '$1');
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return samples;
}

/** Sum of the samples of `name` whose labels include `labels`; undefined when there is none. */
export function sampleSum(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const matching = parseSamples(text).filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  return matching.length ? matching.reduce((sum, s) => sum + s.value, 0) : undefined;
}

/** Every sample name a scrape can contain, from its TYPE lines (histograms add _bucket, _sum and _count). */
export function exportedNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    names.add(name);
    if (type === 'histogram' || type === 'summary') for (const suffix of ['_bucket', '_sum', '_count']) names.add(name + suffix);
  }
  return names;
}

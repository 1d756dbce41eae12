import { randomBytes } from 'node:crypto';
import { Agent, fetch, type Dispatcher } from 'undici';

interface StoredCookie {
  value: string;
  path: string;
}

export interface BrowserResponse {
  status: number;
  location?: string;
  text: string;
}

export interface BrowserOptions {
  /** Test CA to trust for https. */
  ca?: string;
  /** The client address the hub sees (sent as X-Forwarded-For; the hub trusts it from loopback, like a local proxy). */
  clientIp?: string;
}

/**
 * The browser side of a redirect-based sign-in, by hand: plain HTTP with a cookie jar per host, redirects followed
 * one hop at a time so a spec can stop at (or tamper with) any of them. Each browser has its own random client
 * address (documentation range 2001:db8::/32: a header value only, nothing is sent there).
 */
export class Browser {
  private readonly jar = new Map<string, Map<string, StoredCookie>>();
  private readonly dispatcher?: Dispatcher;
  readonly clientIp: string;

  constructor(options: BrowserOptions = {}) {
    if (options.ca) this.dispatcher = new Agent({ connect: { ca: options.ca } });
    this.clientIp = options.clientIp ?? randomClientIp();
  }

  async request(url: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<BrowserResponse> {
    const target = new URL(url);
    const headers: Record<string, string> = { 'user-agent': 'e2e-browser', 'x-forwarded-for': this.clientIp };
    const cookie = this.cookieHeader(target);
    if (cookie) headers.cookie = cookie;
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    }
    const res = await fetch(url, { method: init.method ?? 'GET', headers, body, redirect: 'manual', dispatcher: this.dispatcher });
    for (const line of res.headers.getSetCookie()) this.store(target, line);
    const location = res.headers.get('location') ?? undefined;
    return { status: res.status, location: location ? new URL(location, url).toString() : undefined, text: await res.text() };
  }

  /**
   * Follows redirects from `url` until the next location satisfies `stop`; returns that location without visiting
   * it. Throws when a page answers without redirecting first.
   */
  async followUntil(url: string, stop: (location: string) => boolean, maxHops = 10): Promise<string> {
    let next = url;
    for (let hop = 0; hop < maxHops; hop++) {
      const res = await this.request(next);
      if (!res.location) throw new Error(`${next} answered ${res.status} without a redirect: ${res.text.slice(0, 300)}`);
      if (stop(res.location)) return res.location;
      next = res.location;
    }
    throw new Error(`more than ${maxHops} redirects from ${url}`);
  }

  hasCookie(host: string, name: string): boolean {
    return this.jar.get(host)?.has(name) ?? false;
  }

  private cookieHeader(url: URL): string {
    const cookies = this.jar.get(url.host);
    if (!cookies) return '';
    return [...cookies]
      .filter(([, c]) => url.pathname === c.path || url.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`))
      .map(([name, c]) => `${name}=${c.value}`)
      .join('; ');
  }

  private store(url: URL, line: string): void {
    const [pair, ...attributes] = line.split(';').map((s) => s.trim());
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    const attr = (key: string) => attributes.find((a) => a.toLowerCase().startsWith(`${key}=`))?.split('=')[1];
    const cookies = this.jar.get(url.host) ?? new Map<string, StoredCookie>();
    this.jar.set(url.host, cookies);
    const expires = attr('expires');
    if (attr('max-age') === '0' || (expires && new Date(expires).getTime() <= Date.now())) cookies.delete(name);
    else cookies.set(name, { value, path: attr('path') ?? '/' });
  }
}

/** Random per call, so counters kept in a shared Redis by an earlier run never apply. */
export function randomClientIp(): string {
  return `2001:db8::${randomBytes(8).toString('hex').match(/.{4}/g)!.join(':')}`;
}

/** The dashboard landing page's query (`code`, `linkCode` or `error` + `message`). */
export function landingParams(location: string): Record<string, string> {
  return Object.fromEntries(new URL(location).searchParams);
}

import { Agent as HttpAgent, request as httpRequest, type AgentOptions, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { createParser } from 'eventsource-parser';

const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;
const STREAM_RETRY_MS = 2_000;

/**
 * Streamable HTTP client transport for upstream servers, on node:http with a keep-alive pool. Same protocol as
 * the SDK's transport (JSON or SSE answers, Mcp-Session-Id, GET stream for server-initiated messages), at a
 * fraction of fetch's per-request cost, which dominates the hub's CPU per call when the upstream is remote.
 */
export class StreamableHttpUpstreamTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  sessionId?: string;

  private readonly agent: HttpAgent;
  private readonly request: typeof httpRequest;
  private protocolVersion?: string;
  private stream?: IncomingMessage;
  private closed = false;

  constructor(
    private readonly url: URL,
    private readonly headers: Record<string, string>,
    /** E.g. the egress policy's `lookup`, which then sees every socket this transport opens. */
    agentOptions: AgentOptions = {},
  ) {
    const https = url.protocol === 'https:';
    const options = { keepAlive: true, maxSockets: 256, ...agentOptions };
    this.agent = https ? new HttpsAgent(options) : new HttpAgent(options);
    this.request = https ? httpsRequest : httpRequest;
  }

  async start(): Promise<void> {}

  setProtocolVersion(version: string): void {
    this.protocolVersion = version;
    this.openStream();
  }

  send(message: JSONRPCMessage): Promise<void> {
    if (this.closed) return Promise.reject(new Error('transport closed'));
    const body = JSON.stringify(message);
    return new Promise((resolve, reject) => {
      const req = this.request(this.url, {
        method: 'POST',
        agent: this.agent,
        headers: { ...this.baseHeaders(), 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'content-length': Buffer.byteLength(body) },
      });
      req.once('error', reject);
      req.once('response', (res) => {
        const session = res.headers['mcp-session-id'];
        if (typeof session === 'string') this.sessionId = session;
        const status = res.statusCode ?? 0;
        if (status === 404 && this.sessionId) {
          res.resume();
          reject(new Error('upstream session expired (404)'));
          this.end();
          return;
        }
        if (status < 200 || status >= 300) {
          readText(res).then((text) => reject(new Error(`HTTP ${status}${text ? `: ${text.slice(0, 200)}` : ''}`)), reject);
          return;
        }
        resolve();
        if (status === 202) return void res.resume();
        if ((res.headers['content-type'] ?? '').includes('text/event-stream')) this.consumeEvents(res);
        else readText(res).then((text) => text && this.deliver(text), (e: Error) => this.onerror?.(e));
      });
      req.end(body);
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    const sessionId = this.sessionId;
    this.closed = true;
    this.stream?.destroy();
    if (sessionId) {
      // Best effort: tell the upstream the session is over.
      await new Promise<void>((resolve) => {
        const req = this.request(this.url, { method: 'DELETE', agent: this.agent, headers: { ...this.baseHeaders(), 'mcp-session-id': sessionId } });
        req.setTimeout(2_000, () => req.destroy());
        req.once('response', (res) => (res.resume(), resolve()));
        req.once('error', () => resolve());
        req.end();
      });
    }
    this.agent.destroy();
    this.onclose?.();
  }

  private end(): void {
    if (this.closed) return;
    this.closed = true;
    this.stream?.destroy();
    this.agent.destroy();
    this.onclose?.();
  }

  private baseHeaders(): Record<string, string> {
    const headers: Record<string, string> = { ...this.headers };
    if (this.sessionId) headers['mcp-session-id'] = this.sessionId;
    if (this.protocolVersion) headers['mcp-protocol-version'] = this.protocolVersion;
    return headers;
  }

  private deliver(text: string): void {
    try {
      const parsed = JSON.parse(text) as JSONRPCMessage | JSONRPCMessage[];
      for (const message of Array.isArray(parsed) ? parsed : [parsed]) this.onmessage?.(message);
    } catch (error) {
      this.onerror?.(error as Error);
    }
  }

  private consumeEvents(res: IncomingMessage): void {
    const parser = createParser({ onEvent: (event) => (!event.event || event.event === 'message') && event.data && this.deliver(event.data) });
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => parser.feed(chunk));
  }

  /** The GET stream carries server-initiated messages (list_changed, logs); a server may not offer one (405). */
  private openStream(): void {
    if (this.closed || this.stream) return;
    const req = this.request(this.url, { method: 'GET', agent: this.agent, headers: { ...this.baseHeaders(), accept: 'text/event-stream' } });
    req.once('error', () => this.retryStream());
    req.once('response', (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        return; // 405: no stream offered; nothing to retry
      }
      this.stream = res;
      this.consumeEvents(res);
      res.once('close', () => {
        this.stream = undefined;
        this.retryStream();
      });
    });
    req.end();
  }

  private retryStream(): void {
    if (!this.closed) setTimeout(() => this.openStream(), STREAM_RETRY_MS).unref();
  }
}

function readText(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_RESPONSE_BYTES) res.destroy(new Error('upstream response too large'));
      else chunks.push(chunk);
    });
    res.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.once('error', reject);
  });
}

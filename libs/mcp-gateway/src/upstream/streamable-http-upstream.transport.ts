import { Agent as HttpAgent, request as httpRequest, type AgentOptions, type ClientRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { StringDecoder } from 'node:string_decoder';
import { urlToHttpOptions } from 'node:url';
import { createParser } from 'eventsource-parser';
import { MessageTooLargeError, SseEventSizeGuard, isMessageTooLarge, type MessageId } from '#servers';

const STREAM_RETRY_MS = 2_000;
/**
 * Idle kept-alive sockets are closed after this long: below the 5 s a Node server keeps them (its default), so the
 * hub rarely writes to a socket the server is closing at that very moment (ECONNRESET); post() handles the rest.
 */
const IDLE_SOCKET_MS = 4_000;

type Sink = (message: JSONRPCMessage) => void;

/** What one 2026-07-28 exchange reports while its answer streams in. */
export interface ExchangeHandlers {
  /** The request was written out: from now on it may have reached the server (a 2026 server may answer much later). */
  onSent?(): void;
  /** Each message of the answer: notifications first (progress, logs), then the response. */
  onMessage: Sink;
}

/** The server answered, with an HTTP error and no JSON-RPC message. */
export class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    text: string,
  ) {
    super(`HTTP ${status}${text ? `: ${text.slice(0, 200)}` : ''}`);
  }
}

/** The part of the Streamable HTTP client the 2026-07-28 (stateless) connection uses. */
export interface HttpExchange {
  start(): Promise<void>;
  exchange(message: JSONRPCMessage, headers: Record<string, string>, handlers: ExchangeHandlers, signal?: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

/**
 * Streamable HTTP client transport for upstream servers, on node:http with a keep-alive pool. Same protocol as
 * the SDK's transport (JSON or SSE answers, Mcp-Session-Id, GET stream for server-initiated messages), at a
 * fraction of fetch's per-request cost, which dominates the hub's CPU per call when the upstream is remote.
 */
export class StreamableHttpUpstreamTransport implements Transport, HttpExchange {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  sessionId?: string;

  private readonly agent: HttpAgent;
  private readonly request: typeof httpRequest;
  /** The URL as request options, converted once (node:http would do it again for every request). */
  private readonly target: ReturnType<typeof urlToHttpOptions>;
  private protocolVersion?: string;
  private stream?: IncomingMessage;
  private closed = false;

  constructor(
    private readonly url: URL,
    private readonly headers: Record<string, string>,
    /** Bound on one answer: a JSON body or one SSE event (eventsource-parser alone buffers without limit). */
    private readonly maxMessageBytes: number,
    /** E.g. the egress policy's `lookup`, which then sees every socket this transport opens. */
    agentOptions: AgentOptions = {},
  ) {
    const https = url.protocol === 'https:';
    const options = { keepAlive: true, maxSockets: 256, timeout: IDLE_SOCKET_MS, ...agentOptions };
    this.agent = https ? new HttpsAgent(options) : new HttpAgent(options);
    this.request = https ? httpsRequest : httpRequest;
    this.target = urlToHttpOptions(url);
  }

  async start(): Promise<void> {}

  setProtocolVersion(version: string): void {
    this.protocolVersion = version;
    this.openStream();
  }

  send(message: JSONRPCMessage): Promise<void> {
    if (this.closed) return Promise.reject(new Error('transport closed'));
    const body = JSON.stringify(message);
    const requestId = 'id' in message ? (message.id as MessageId) : undefined;
    return new Promise((resolve, reject) => {
      const headers = { ...this.baseHeaders(), 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'content-length': Buffer.byteLength(body) };
      this.post({ headers }, body, reject, (res) => {
        // A reset mid-body: the error names the request whose answer this response carried, so that call fails
        // at once instead of at its timeout.
        res.on('error', (error) => !isMessageTooLarge(error) && this.onerror?.(Object.assign(error, { requestId })));
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
          readText(res, this.maxMessageBytes).then((text) => reject(new HttpStatusError(status, text)), reject);
          return;
        }
        resolve();
        if (status === 202) return void res.resume();
        // An answer over the bound fails its own call; this response is dropped, the next POST starts clean.
        if ((res.headers['content-type'] ?? '').includes('text/event-stream')) this.consumeEvents(res, requestId);
        else readText(res, this.maxMessageBytes).then((text) => text && this.deliver(text), (e: Error) => isMessageTooLarge(e) && this.onerror?.(new MessageTooLargeError(e.limit, requestId, true)));
      });
    });
  }

  /**
   * One 2026-07-28 exchange: no session, the caller's per-request headers. Resolves once the answer has ended (a
   * JSON body, or an SSE stream whose messages go to `onMessage` as they arrive), rejects when the server could not
   * be reached or answered with an HTTP error that carries no JSON-RPC message. A 4xx with a JSON-RPC error body
   * (header mismatch, unsupported version) is a message: 2026 servers answer those errors that way.
   */
  exchange(message: JSONRPCMessage, headers: Record<string, string>, handlers: ExchangeHandlers, signal?: AbortSignal): Promise<void> {
    if (this.closed) return Promise.reject(new Error('transport closed'));
    if (signal?.aborted) return Promise.reject(new Error('aborted'));
    const body = JSON.stringify(message);
    const requestId = 'id' in message ? (message.id as MessageId) : undefined;
    return new Promise((resolve, reject) => {
      const allHeaders = { ...this.headers, ...headers, 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'content-length': Buffer.byteLength(body) };
      const req = this.post({ signal, headers: allHeaders }, body, reject, (res) => {
        res.on('error', (error) => reject(isMessageTooLarge(error) ? error : Object.assign(error, { requestId })));
        const status = res.statusCode ?? 0;
        const sse = (res.headers['content-type'] ?? '').includes('text/event-stream');
        if (sse && status >= 200 && status < 300) {
          this.consumeEvents(res, requestId, handlers.onMessage, (error) => reject(error));
          res.once('end', () => resolve());
          res.once('close', () => resolve());
          return;
        }
        readText(res, this.maxMessageBytes).then((text) => {
          const json = (res.headers['content-type'] ?? '').includes('json');
          // Refused credentials, whatever the body says (an OAuth error object is JSON too, but no answer).
          if (status === 401) return reject(new HttpStatusError(status, text));
          if (status === 202 || !text) return status >= 200 && status < 300 ? resolve() : reject(new HttpStatusError(status, text));
          if (json && this.deliver(text, handlers.onMessage, true)) return resolve();
          reject(new HttpStatusError(status, text));
        }, (error: Error) => reject(isMessageTooLarge(error) ? new MessageTooLargeError(error.limit, requestId, true) : error));
      });
      req.once('finish', () => handlers.onSent?.());
    });
  }

  /**
   * POSTs `body`. A request that fails on a kept-alive socket before any answer is written once more on a new one:
   * the server closed the idle socket as the request went out and never read it (the race Node documents for
   * `request.reusedSocket`). A fresh socket's failure, or a second one, is the caller's.
   */
  private post(options: RequestOptions, body: string, onError: (error: Error) => void, onResponse: (res: IncomingMessage) => void, retried = false): ClientRequest {
    const req = this.request({ ...this.target, ...options, method: 'POST', agent: this.agent });
    let answered = false;
    req.on('error', (error: NodeJS.ErrnoException) => {
      const closedIdleSocket = req.reusedSocket && !answered && (error.code === 'ECONNRESET' || error.code === 'EPIPE');
      if (closedIdleSocket && !retried && !options.signal?.aborted) this.post(options, body, onError, onResponse, true);
      else onError(error);
    });
    req.once('response', (res) => {
      answered = true;
      onResponse(res);
    });
    req.end(body);
    return req;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    const sessionId = this.sessionId;
    this.closed = true;
    this.stream?.destroy();
    if (sessionId) {
      // Best effort: tell the upstream the session is over.
      await new Promise<void>((resolve) => {
        const req = this.request({ ...this.target, method: 'DELETE', agent: this.agent, headers: { ...this.baseHeaders(), 'mcp-session-id': sessionId } });
        req.setTimeout(2_000, () => req.destroy());
        req.once('response', (res) => (res.on('error', () => undefined).resume(), resolve()));
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

  /** Parses one body or event and hands its message(s) to `sink`; false when it was not JSON. */
  private deliver(text: string, sink: Sink = (m) => this.onmessage?.(m), quiet = false): boolean {
    let parsed: JSONRPCMessage | JSONRPCMessage[];
    try {
      parsed = JSON.parse(text) as JSONRPCMessage | JSONRPCMessage[];
    } catch (error) {
      if (!quiet) this.onerror?.(error as Error);
      return false;
    }
    for (const message of Array.isArray(parsed) ? parsed : [parsed]) sink(message);
    return true;
  }

  private consumeEvents(res: IncomingMessage, requestId?: MessageId, sink?: Sink, onTooLarge = (error: MessageTooLargeError) => this.onerror?.(error)): void {
    const parser = createParser({ onEvent: (event) => (!event.event || event.event === 'message') && event.data && this.deliver(event.data, sink) });
    const guard = new SseEventSizeGuard(this.maxMessageBytes);
    const decoder = new StringDecoder('utf8');
    res.on('data', (chunk: Buffer) => {
      if (res.destroyed) return;
      if (guard.push(chunk)) {
        res.destroy();
        onTooLarge(new MessageTooLargeError(this.maxMessageBytes, requestId ?? guard.peekId(), true));
        return;
      }
      parser.feed(decoder.write(chunk));
    });
  }

  /** The GET stream carries server-initiated messages (list_changed, logs); a server may not offer one (405). */
  private openStream(): void {
    if (this.closed || this.stream) return;
    const req = this.request({ ...this.target, method: 'GET', agent: this.agent, headers: { ...this.baseHeaders(), accept: 'text/event-stream' } });
    req.once('error', () => this.retryStream());
    req.once('response', (res) => {
      // After the response, failures show on `res`; its 'close' retries.
      req.on('error', () => undefined);
      res.on('error', () => undefined);
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

function readText(res: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (res.destroyed) return;
      if (size > limit) {
        res.destroy();
        reject(new MessageTooLargeError(limit, undefined, true));
      } else chunks.push(chunk);
    });
    res.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
  });
}

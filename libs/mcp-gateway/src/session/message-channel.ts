import type { Response } from 'express';
import type { JsonRpcMessage } from '../protocol/json-rpc.js';

/** Somewhere the hub can push JSON-RPC messages to an agent: an SSE stream, or a POST's (upgradable) response. */
export interface MessageChannel {
  send(message: JsonRpcMessage): void;
  readonly open: boolean;
  /** Resolves when the agent goes away (channels that can stay open for long). */
  whenClosed?(): Promise<void>;
}

const KEEP_ALIVE_MS = 15_000;
const ignore = () => undefined;

/** Writes SSE headers once; proxies must not buffer the stream. */
export function startSse(res: Response, headers: Record<string, string> = {}): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    ...headers,
  });
  res.flushHeaders();
}

export const sseEvent = (message: unknown, event = 'message') => `event: ${event}\ndata: ${JSON.stringify(message)}\n\n`;

/** A long-lived SSE stream (Streamable HTTP GET, or the legacy /sse stream), with keep-alive comments. */
export class SseStreamChannel implements MessageChannel {
  private closed = false;
  private readonly keepAlive: NodeJS.Timeout;

  constructor(
    private readonly res: Response,
    onClose: () => void,
  ) {
    this.keepAlive = setInterval(() => this.writeRaw(': keep-alive\n\n'), KEEP_ALIVE_MS);
    this.keepAlive.unref();
    // A write racing the agent's disconnect emits 'error'; unhandled, it would end the hub process.
    res.on('error', () => undefined);
    res.on('close', () => {
      this.closed = true;
      clearInterval(this.keepAlive);
      onClose();
    });
  }

  get open(): boolean {
    return !this.closed;
  }

  send(message: JsonRpcMessage): void {
    if (!this.closed) this.res.write(sseEvent(message));
  }

  writeRaw(text: string): void {
    if (!this.closed) this.res.write(text);
  }

  close(): void {
    if (this.closed) return;
    // Closed now, not at 'close': a write after end() would be an error.
    this.closed = true;
    clearInterval(this.keepAlive);
    this.res.end();
  }
}

/**
 * The response to one Streamable HTTP POST. Answers with plain JSON (cheapest) unless something related to the
 * request (progress, a server→client request, a log line) must reach the agent before the result; then it
 * switches to an SSE stream, sends those, and ends the stream with the result.
 */
export class PostResponseChannel implements MessageChannel {
  private streaming = false;
  private done = false;
  /** Once streaming: comments that keep proxies from closing a quiet stream (long calls, subscriptions/listen). */
  private keepAlive?: NodeJS.Timeout;

  constructor(
    private readonly res: Response,
    private readonly headers: Record<string, string>,
    private readonly acceptsSse: boolean,
  ) {
    res.on('error', ignore); // the agent went away mid-answer: nothing to tell it
  }

  get open(): boolean {
    return !this.done && !this.res.destroyed && this.acceptsSse;
  }

  send(message: JsonRpcMessage): void {
    if (!this.open) return;
    if (!this.streaming) {
      startSse(this.res, this.headers);
      this.streaming = true;
      const keepAlive = setInterval(() => this.open && this.res.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
      keepAlive.unref();
      this.keepAlive = keepAlive;
      // Only a stream has a timer to stop: a plain JSON answer (most calls) adds no listener for it.
      this.res.once('close', () => clearInterval(keepAlive));
    }
    this.res.write(sseEvent(message));
  }

  /** Ends the exchange with its response; `status` and `headers` apply only if nothing was streamed yet. */
  finish(response: JsonRpcMessage, status = 200, headers: Record<string, string> = {}): void {
    if (this.done || this.res.destroyed) return;
    this.done = true;
    clearInterval(this.keepAlive);
    if (this.streaming) {
      this.res.end(sseEvent(response));
      return;
    }
    const body = JSON.stringify(response);
    this.res.writeHead(status, { ...this.headers, ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    this.res.end(body);
  }

  /** Resolves when the agent goes away or the exchange ends (a long-lived subscriptions/listen stream waits on it). */
  whenClosed(): Promise<void> {
    return new Promise((resolve) => {
      if (this.res.closed || this.res.destroyed) resolve();
      else this.res.once('close', () => resolve());
    });
  }
}

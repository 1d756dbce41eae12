import type { Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { isMessageTooLarge, type EgressGuard, type UpstreamTransportConfig } from '#servers';
import { HttpStatusError, type ExchangeHandlers, type HttpExchange } from './streamable-http-upstream.transport.js';

/**
 * Puts a URL transport under the egress policy: refuses a forbidden URL host before the first connection (IP
 * literals never reach the socket lookup) and turns connect and send failures into the text the server's owner may
 * see. The socket lookup / fetch dispatcher given to the inner transport checks every resolved address.
 */
export class EgressCheckedTransport implements Transport {
  constructor(
    private readonly inner: Transport,
    private readonly config: UpstreamTransportConfig,
    private readonly egress: EgressGuard,
    /** Sees the detailed error before it is reduced (for logs). */
    private readonly report: (error: unknown) => void,
  ) {}

  get onclose() {
    return this.inner.onclose;
  }
  set onclose(handler) {
    this.inner.onclose = handler;
  }
  get onerror() {
    return this.inner.onerror;
  }
  set onerror(handler) {
    this.inner.onerror = handler;
  }
  get onmessage() {
    return this.inner.onmessage;
  }
  set onmessage(handler) {
    this.inner.onmessage = handler;
  }
  get sessionId() {
    return this.inner.sessionId;
  }

  async start(): Promise<void> {
    try {
      this.egress.assertAllowed(this.config);
      await this.inner.start();
    } catch (error) {
      throw this.visible(error);
    }
  }

  async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    try {
      await this.inner.send(message, options);
    } catch (error) {
      throw this.visible(error);
    }
  }

  /** A 2026-07-28 exchange on the inner Streamable HTTP transport, under the same policy and error reduction. */
  async exchange(message: JSONRPCMessage, headers: Record<string, string>, handlers: ExchangeHandlers, signal?: AbortSignal): Promise<void> {
    const inner = this.inner as Partial<HttpExchange>;
    if (!inner.exchange) throw new Error('this transport has no 2026-07-28 exchanges');
    try {
      await inner.exchange.call(this.inner, message, headers, handlers, signal);
    } catch (error) {
      if (signal?.aborted || isMessageTooLarge(error)) throw error;
      // The status (not the text) survives the reduction: it tells a 2025-era server from an unreachable one.
      const status = error instanceof HttpStatusError ? error.status : undefined;
      throw Object.assign(this.visible(error), { status });
    }
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  setProtocolVersion(version: string): void {
    this.inner.setProtocolVersion?.(version);
  }

  private visible(error: unknown): Error {
    this.report(error);
    return this.egress.visibleError(this.config, error);
  }
}

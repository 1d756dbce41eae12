import type { Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { EgressGuard, UpstreamTransportConfig } from '#servers';

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

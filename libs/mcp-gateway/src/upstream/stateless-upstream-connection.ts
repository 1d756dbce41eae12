import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { MAX_MESSAGE_BYTES_VARIABLE, isMessageTooLarge } from '#servers';
import { RpcCode, RpcError, isNotification, isResponse, type JsonRpcMessage, type JsonRpcNotification } from '../protocol/json-rpc.js';
import { isTokenRefused } from './upstream-connection.js';
import { META, STATELESS_VERSION } from '../protocol/protocol-versions.js';
import { ListenStream } from './listen-stream.js';
import { headerParamsOf, paramHeaders, type HeaderParam } from '../protocol/param-headers.js';
import { statelessHeaders, withEnvelope, withoutSubscriptionId } from './stateless-envelope.js';
import type { HttpExchange } from './streamable-http-upstream.transport.js';
import type { UpstreamCallOptions, UpstreamConnection, UpstreamEvents, UpstreamIdentity } from './upstream-connection.js';

/** server/discover answered, but not with this revision: the server speaks the 2025 era. */
export class NotStatelessError extends Error {}

interface Pending {
  settle(error?: RpcError, result?: Record<string, unknown>): void;
}

/**
 * A 2026-07-28 (stateless) upstream over Streamable HTTP: no initialize and no session; every request is its own
 * POST with the `_meta` envelope and the MCP-Protocol-Version / Mcp-Method / Mcp-Name headers, answered as JSON or
 * as an SSE stream whose notifications (progress, logs) belong to that request. List changes and resource updates
 * arrive on one `subscriptions/listen` stream per connection.
 */
export class StatelessUpstreamConnection implements UpstreamConnection {
  readonly stateless = true;
  readonly protocolVersion = STATELESS_VERSION;
  readonly pid = undefined;
  capabilities: Record<string, unknown> = {};
  serverInfo: Record<string, unknown> = {};
  instructions?: string;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private closing = false;
  /** What 2025-era agents set with logging/setLevel (shared, as on a 2025 connection); 2026 agents send their own. */
  private sessionLogLevel?: string;
  private listen?: ListenStream;
  /** Per tool, the arguments it wants as Mcp-Param-* headers (learnt from tools/list answers). */
  private readonly toolParams = new Map<string, HeaderParam[]>();

  /** The 2025-era connection to the same server, once tried: undefined when the server refused the handshake. */
  private companion?: Promise<UpstreamConnection | undefined>;

  constructor(
    readonly identity: UpstreamIdentity,
    private readonly transport: HttpExchange,
    private readonly events: UpstreamEvents,
    /** A 2025-era connection to the same server on a transport of its own, not yet connected, and its timeout. */
    private readonly legacy?: { create(): UpstreamConnection; timeoutMs: number },
  ) {}

  get inFlight(): number {
    return this.pending.size;
  }

  get alive(): boolean {
    return !this.closing;
  }

  /** Discovers the server; throws NotStatelessError when it does not serve 2026-07-28 (the caller falls back). */
  async connect(timeoutMs: number): Promise<void> {
    await this.transport.start();
    let result: Record<string, unknown>;
    try {
      result = await this.request('server/discover', {}, timeoutMs);
    } catch (error) {
      // Any answer that is not a discover result (a JSON-RPC error, 404, 400 "no session", 405) means a 2025-era
      // server; unreachable or silent stays an error.
      if (!(error instanceof RpcError) || isTokenRefused(error)) throw error;
      const answered = error.code !== RpcCode.UPSTREAM_UNAVAILABLE && error.code !== RpcCode.UPSTREAM_TIMEOUT;
      if (answered || (error.data as { httpStatus?: number } | undefined)?.httpStatus) throw new NotStatelessError(error.message);
      throw error;
    }
    const versions = Array.isArray(result.supportedVersions) ? result.supportedVersions : [];
    if (!versions.includes(STATELESS_VERSION)) throw new NotStatelessError(`supports ${versions.join(', ') || 'no listed version'}`);
    this.capabilities = (result.capabilities as Record<string, unknown>) ?? {};
    const meta = result._meta as Record<string, unknown> | undefined;
    this.serverInfo = (meta?.[META.serverInfo] as Record<string, unknown>) ?? {};
    this.instructions = typeof result.instructions === 'string' ? result.instructions : undefined;
    this.listen = new ListenStream(this.capabilities, {
      exchange: (filter, onMessage, signal) => {
        const id = this.nextId++;
        const params = withEnvelope({ notifications: filter });
        return this.transport.exchange({ jsonrpc: '2.0', id, method: 'subscriptions/listen', params } as JSONRPCMessage, statelessHeaders('subscriptions/listen', params), { onMessage }, signal);
      },
      deliver: (message) => this.events.onNotification(this, withoutSubscriptionId(message)),
    });
    this.listen.start();
  }

  request(method: string, params: Record<string, unknown> | undefined, timeoutMs: number, options: UpstreamCallOptions = {}): Promise<Record<string, unknown>> {
    if (!this.alive) return Promise.reject(this.unavailable('is not connected'));
    // Removed in this revision: the level travels in each request's _meta; subscriptions on the listen stream.
    if (method === 'logging/setLevel') {
      this.sessionLogLevel = typeof params?.level === 'string' ? params.level : undefined;
      // 2025-era agents' calls may go to the companion: it logs at their level too.
      void this.companion?.then((c) => (c?.alive ? c.request(method, params, timeoutMs) : undefined)).catch(() => undefined);
      return Promise.resolve({});
    }
    if ((method === 'resources/subscribe' || method === 'resources/unsubscribe') && typeof params?.uri === 'string') {
      this.listen?.setResource(params.uri, method === 'resources/subscribe');
      return Promise.resolve({});
    }
    const id = this.nextId++;
    const client = options.client;
    const logLevel = client?.logLevel === undefined ? this.sessionLogLevel : (client.logLevel ?? undefined);
    const body = withEnvelope(params, client?.capabilities, logLevel);
    const abort = new AbortController();
    return new Promise((resolve, reject) => {
      let done = false;
      const settle = (error?: RpcError, result?: Record<string, unknown>) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        this.pending.delete(id);
        if (error) {
          // Closing the answer's stream is how this revision tells the server to stop.
          abort.abort();
          reject(error);
        } else resolve(result!);
      };
      const timer = setTimeout(
        () => settle(new RpcError(RpcCode.UPSTREAM_TIMEOUT, `Server "${this.identity.slug}" did not answer ${method} within ${timeoutMs} ms`, { server: this.identity.slug })),
        timeoutMs,
      );
      this.pending.set(id, { settle });
      const receive = (message: JsonRpcMessage) => {
        if (isResponse(message)) {
          // One request per POST: an error with a null id (the server could not read the id) answers it too.
          if (message.id !== id && !(message.id === null && message.error)) return;
          if (message.error) return settle(new RpcError(message.error.code, message.error.message, message.error.data));
          if (method === 'tools/list') this.learnParams(message.result);
          settle(undefined, message.result ?? {});
        } else if (isNotification(message)) {
          const related = withoutSubscriptionId(message as JsonRpcNotification);
          if (options.onRelated) options.onRelated(related);
          else this.events.onNotification(this, related);
        }
        // Server→client requests do not exist in this revision (InputRequiredResult replaces them).
      };
      this.transport
        .exchange({ jsonrpc: '2.0', id, method, params: body } as JSONRPCMessage, this.headersFor(method, body), {
          onSent: () => options.onSent?.(id),
          onMessage: (message) => {
            // Whatever a handler does with one message, the answer's stream handler must not throw.
            try {
              receive(message as JsonRpcMessage);
            } catch {
              // the message is lost; the call it belonged to times out
            }
          },
        }, abort.signal)
        .then(
          () => settle(this.unavailable(`ended its answer to ${method} without a result`)),
          (error: Error & { status?: number }) =>
            settle(
              isMessageTooLarge(error)
                ? this.tooLarge(error.limit)
                : error.status
                  ? this.unavailable(`answered ${method} with ${error.message}`, error.status)
                  : this.unavailable(`could not be reached: ${error.message}`),
            ),
        );
    });
  }

  /**
   * Tried on the first 2025-era agent's call; a server that refuses `initialize` (2026-only) is not asked again
   * while this connection lives. A companion that was lost is replaced on the next call.
   */
  legacyCompanion(): Promise<UpstreamConnection | undefined> {
    if (!this.legacy || this.closing) return Promise.resolve(undefined);
    const current = this.companion;
    this.companion = (current ?? Promise.resolve(null)).then(async (previous) => {
      if (previous === undefined || previous?.alive || this.closing) return previous;
      const connection = this.legacy!.create();
      try {
        await connection.connect(this.legacy!.timeoutMs);
        return connection;
      } catch {
        await connection.close();
        return undefined;
      }
    }) as Promise<UpstreamConnection | undefined>;
    return this.companion.then((c) => (c?.alive ? c : undefined));
  }

  /** Notifications to the server have no meaning here: cancellation closes the answer's stream. */
  async notify(): Promise<void> {}

  /** There are no server→client requests to answer in this revision. */
  async respond(): Promise<void> {}

  cancel(upstreamId: number): void {
    this.pending.get(upstreamId)?.settle(new RpcError(RpcCode.REQUEST_CANCELLED, 'Request cancelled by the client'));
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    this.listen?.stop();
    void this.companion?.then((c) => c?.close());
    for (const entry of [...this.pending.values()]) entry.settle(this.unavailable('was stopped'));
    await this.transport.close().catch(() => undefined);
  }

  private headersFor(method: string, body: Record<string, unknown>): Record<string, string> {
    const headers = statelessHeaders(method, body);
    const declarations = method === 'tools/call' && typeof body.name === 'string' ? this.toolParams.get(body.name) : undefined;
    return declarations?.length ? { ...headers, ...paramHeaders(declarations, body.arguments) } : headers;
  }

  private learnParams(result: Record<string, unknown> | undefined): void {
    for (const tool of (result?.tools as { name?: unknown; inputSchema?: unknown }[] | undefined) ?? []) {
      if (typeof tool?.name !== 'string') continue;
      const declarations = headerParamsOf(tool.inputSchema);
      if (declarations.length) this.toolParams.set(tool.name, declarations);
      else this.toolParams.delete(tool.name);
    }
  }

  private tooLarge(limit: number): RpcError {
    return new RpcError(
      RpcCode.UPSTREAM_MESSAGE_TOO_LARGE,
      `Server "${this.identity.slug}" sent a message larger than the limit of ${limit} bytes (${MAX_MESSAGE_BYTES_VARIABLE})`,
      { server: this.identity.slug, limit },
    );
  }

  private unavailable(what: string, httpStatus?: number): RpcError {
    return new RpcError(RpcCode.UPSTREAM_UNAVAILABLE, `Server "${this.identity.slug}" ${what}`, httpStatus ? { server: this.identity.slug, httpStatus } : { server: this.identity.slug });
  }
}

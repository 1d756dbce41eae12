import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { HUB_CLIENT_CAPABILITIES, MAX_MESSAGE_BYTES_VARIABLE, isMessageTooLarge, type MessageTooLargeError } from '#servers';
import {
  RpcCode,
  RpcError,
  isNotification,
  isRequest,
  isResponse,
  type JsonRpcId,
  type JsonRpcMessage,
  type JsonRpcNotification,
  type JsonRpcRequest,
} from '../protocol/json-rpc.js';
import { LATEST_VERSION } from '../protocol/protocol-versions.js';
import { ProcessGroupStdioTransport } from './process-group-stdio.transport.js';
import type { UpstreamCallOptions, UpstreamConnection, UpstreamEvents, UpstreamIdentity } from './upstream-connection.js';

interface Pending {
  resolve(result: Record<string, unknown>): void;
  reject(error: RpcError): void;
  timer: NodeJS.Timeout;
  method: string;
}

/**
 * One live 2025-era MCP client session (initialize, then a session) to one upstream server, shared by every agent
 * session that uses the server. Request ids are the connection's own counter, so agents' ids never reach (or
 * collide at) the upstream.
 */
export class SessionUpstreamConnection implements UpstreamConnection {
  readonly stateless = false;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private closing = false;
  private lost = false;
  /** Why the transport is being dropped, when the hub decided it (an unending oversized message). */
  private dropReason?: string;
  capabilities: Record<string, unknown> = {};
  serverInfo: Record<string, unknown> = {};
  protocolVersion = LATEST_VERSION as string;
  instructions?: string;

  constructor(
    readonly identity: UpstreamIdentity,
    private readonly transport: Transport,
    private readonly events: UpstreamEvents,
  ) {}

  get inFlight(): number {
    return this.pending.size;
  }

  get alive(): boolean {
    return !this.closing && !this.lost;
  }

  async connect(timeoutMs: number): Promise<void> {
    this.transport.onmessage = (message: JSONRPCMessage) => {
      // Whatever a handler does with one upstream message, the transport's stream handler must not throw.
      try {
        this.receive(message as JsonRpcMessage);
      } catch {
        // the message is lost; the call it answered times out
      }
    };
    this.transport.onclose = () => this.fail(this.describeExit('closed the connection'));
    // Other transport errors surface through onclose or request timeouts.
    this.transport.onerror = (error) => {
      if (isMessageTooLarge(error)) return this.tooLarge(error);
      // A transport that can tell which call a broken answer belonged to fails just that call.
      const { requestId } = error as { requestId?: unknown };
      if (typeof requestId === 'number') this.settle(requestId, undefined, this.unavailable(`broke off its answer: ${error.message}`));
    };
    await this.transport.start();
    const result = await this.request(
      'initialize',
      { protocolVersion: LATEST_VERSION, capabilities: HUB_CLIENT_CAPABILITIES, clientInfo: { name: 'mcp-hub', version: '0.1.0' } },
      timeoutMs,
    );
    this.protocolVersion = String(result.protocolVersion ?? LATEST_VERSION);
    this.capabilities = (result.capabilities as Record<string, unknown>) ?? {};
    this.serverInfo = (result.serverInfo as Record<string, unknown>) ?? {};
    this.instructions = typeof result.instructions === 'string' ? result.instructions : undefined;
    this.transport.setProtocolVersion?.(this.protocolVersion);
    await this.transport.send({ jsonrpc: '2.0', method: 'notifications/initialized' } as JSONRPCMessage);
  }

  /** Sends a request; resolves with its result, or rejects with an RpcError naming the server. */
  request(method: string, params: Record<string, unknown> | undefined, timeoutMs: number, options: UpstreamCallOptions = {}): Promise<Record<string, unknown>> {
    const { onSent } = options;
    if (!this.alive) return Promise.reject(this.unavailable('is not connected'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        // Tell the upstream to stop working on it; its late response is dropped (id no longer pending).
        void this.notify('notifications/cancelled', { requestId: id, reason: 'timeout' }).catch(() => undefined);
        reject(new RpcError(RpcCode.UPSTREAM_TIMEOUT, `Server "${this.identity.slug}" did not answer ${method} within ${timeoutMs} ms`, { server: this.identity.slug }));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer, method });
      const message = (params === undefined ? { jsonrpc: '2.0', id, method } : { jsonrpc: '2.0', id, method, params }) as JSONRPCMessage;
      this.transport.send(message).then(
        () => onSent?.(id),
        // An HTTP status (401: the credentials were refused) travels in the error's data, as on 2026 connections.
        (error: Error & { status?: number }) => this.settle(id, undefined, this.unavailable(`could not be reached: ${error.message}`, error.status)),
      );
    });
  }

  notify(method: string, params?: Record<string, unknown>): Promise<void> {
    if (!this.alive) return Promise.resolve();
    return this.transport.send((params ? { jsonrpc: '2.0', method, params } : { jsonrpc: '2.0', method }) as JSONRPCMessage);
  }

  /** Answers a server→client request. */
  respond(id: JsonRpcId, outcome: { result: Record<string, unknown> } | { error: { code: number; message: string; data?: unknown } }): Promise<void> {
    if (!this.alive) return Promise.resolve();
    // Callers fire and forget: an answer the upstream can no longer receive is moot, not an unhandled rejection.
    return this.transport.send({ jsonrpc: '2.0', id, ...outcome } as JSONRPCMessage).catch(() => undefined);
  }

  /** Cancels an in-flight request on behalf of the agent that sent it. */
  cancel(upstreamId: number, reason?: string): void {
    const entry = this.pending.get(upstreamId);
    if (!entry) return;
    this.settle(upstreamId, undefined, new RpcError(RpcCode.REQUEST_CANCELLED, 'Request cancelled by the client'));
    void this.notify('notifications/cancelled', reason ? { requestId: upstreamId, reason } : { requestId: upstreamId }).catch(() => undefined);
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    this.rejectAll(this.unavailable('was stopped'));
    await this.transport.close().catch(() => undefined);
  }

  get pid(): number | undefined {
    return this.transport instanceof ProcessGroupStdioTransport ? this.transport.pid : undefined;
  }

  private receive(message: JsonRpcMessage): void {
    if (isResponse(message)) {
      const id = typeof message.id === 'number' ? message.id : Number(message.id);
      if (message.error) this.settle(id, undefined, new RpcError(message.error.code, message.error.message, message.error.data));
      else this.settle(id, message.result ?? {});
    } else if (isRequest(message)) {
      this.events.onRequest(this, message);
    } else if (isNotification(message)) {
      this.events.onNotification(this, message);
    }
  }

  /** An answer over the size bound fails the call it answered (when known), not the connection. */
  private tooLarge(error: MessageTooLargeError): void {
    const message = `Server "${this.identity.slug}" sent a message larger than the limit of ${error.limit} bytes (${MAX_MESSAGE_BYTES_VARIABLE})`;
    const rpcError = new RpcError(RpcCode.UPSTREAM_MESSAGE_TOO_LARGE, message, { server: this.identity.slug, limit: error.limit });
    if (!error.resynchronised) this.dropReason = `${message}; the stream could not be resynchronised and is restarted`;
    if (error.id !== undefined) this.settle(typeof error.id === 'number' ? error.id : Number(error.id), undefined, rpcError);
  }

  private settle(id: number, result?: Record<string, unknown>, error?: RpcError): void {
    const entry = this.pending.get(id);
    if (!entry) return; // late answer to a cancelled or timed-out request
    this.pending.delete(id);
    clearTimeout(entry.timer);
    if (error) entry.reject(error);
    else entry.resolve(result!);
  }

  private fail(reason: string): void {
    if (this.closing || this.lost) return;
    this.lost = true;
    if (this.dropReason) {
      this.rejectAll(new RpcError(RpcCode.UPSTREAM_MESSAGE_TOO_LARGE, this.dropReason, { server: this.identity.slug }));
      this.events.onLost(this, this.dropReason);
      return;
    }
    this.rejectAll(this.unavailable(reason));
    this.events.onLost(this, reason);
  }

  private rejectAll(error: RpcError): void {
    for (const id of [...this.pending.keys()]) this.settle(id, undefined, error);
  }

  private unavailable(what: string, httpStatus?: number): RpcError {
    return new RpcError(RpcCode.UPSTREAM_UNAVAILABLE, `Server "${this.identity.slug}" ${what}`, httpStatus ? { server: this.identity.slug, httpStatus } : { server: this.identity.slug });
  }

  private describeExit(what: string): string {
    if (!(this.transport instanceof ProcessGroupStdioTransport)) return what;
    const t = this.transport;
    const status = t.exitSignal ? `killed by ${t.exitSignal}` : `exited with code ${t.exitCode}`;
    return `${what} (process ${status}${t.stderr ? `; stderr: ${t.stderr.split('\n').slice(-3).join(' | ')}` : ''})`;
  }
}

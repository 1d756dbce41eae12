import { RpcCode, RpcError, type JsonRpcId, type JsonRpcNotification, type JsonRpcRequest } from '../../protocol/json-rpc.js';
import type { UpstreamCallOptions, UpstreamConnection, UpstreamEvents, UpstreamIdentity } from '../upstream-connection.js';
import type { ConnectionInfo, ConnectionRef, Outcome, ToOwner } from './forwarding-messages.js';

/** What a remote connection needs of the hub-to-hub link. */
export interface OwnerLink {
  /** Resolves false when the owner did not hear it (it is gone, or Redis is down). */
  send(owner: string, message: ToOwner): Promise<boolean>;
  nextCallId(): number;
  /** The call's answer and related messages come back to `handler` until `forget`. */
  expect(callId: number, handler: PendingCall): void;
  forget(callId: number): void;
  /** Fails a call still waiting (its answer can no longer come). */
  fail(callId: number, error: RpcError): void;
  /** `byThisHub`: closed here (idle, reconfigured, stopping), not lost at the holder. */
  closed(connection: RemoteUpstreamConnection, byThisHub: boolean): void;
}

export interface PendingCall {
  settle(outcome: Outcome): void;
  related(message: JsonRpcNotification): void;
  fail(error: RpcError): void;
}

/**
 * The hub holding the connection went (`hubGone`), or answered that it no longer holds it (`moved`): connecting
 * again reaches the new holder, and a call may be sent again where that is safe.
 */
export function holderGone(error: unknown): boolean {
  const data = (error as { data?: { hubGone?: unknown; moved?: unknown } } | undefined)?.data;
  return data?.hubGone === true || data?.moved === true;
}

/** The owner answers a call on its own timeout; ours waits a little longer so that its answer (or error) wins. */
const OWNER_ANSWER_GRACE_MS = 1_000;

/**
 * A connection to a ONE_HUB server whose live connection (stdio process) another hub holds: requests, answers,
 * cancellations and server→client exchanges travel over Redis pub/sub to that hub and back. To the pool and the
 * router it is one more upstream connection, so every front-end and the call pipeline are unchanged.
 */
export class RemoteUpstreamConnection implements UpstreamConnection {
  readonly pid = undefined;
  stateless = false;
  protocolVersion = '';
  capabilities: Record<string, unknown> = {};
  serverInfo: Record<string, unknown> = {};
  instructions?: string;
  private readonly calls = new Set<number>();
  private ended = false;

  constructor(
    readonly identity: UpstreamIdentity,
    readonly ref: ConnectionRef,
    /** The hub holding the connection. */
    readonly owner: string,
    private readonly link: OwnerLink,
    private readonly events: UpstreamEvents,
  ) {}

  get inFlight(): number {
    return this.calls.size;
  }

  get alive(): boolean {
    return !this.ended;
  }

  /** Filled by the owner's answer to `open` (see ForwardedConnections.open). */
  accept(info: ConnectionInfo): void {
    Object.assign(this, { stateless: info.stateless, protocolVersion: info.protocolVersion, capabilities: info.capabilities, serverInfo: info.serverInfo, instructions: info.instructions });
  }

  connect(): Promise<void> {
    return Promise.resolve(); // opened by ForwardedConnections before it is handed out
  }

  request(method: string, params: Record<string, unknown> | undefined, timeoutMs: number, options: UpstreamCallOptions = {}): Promise<Record<string, unknown>> {
    if (this.ended) return Promise.reject(this.unavailable('is closed'));
    const callId = this.link.nextCallId();
    return new Promise<Record<string, unknown>>((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        this.calls.delete(callId);
        this.link.forget(callId);
      };
      const timer = setTimeout(() => {
        done();
        reject(new RpcError(RpcCode.UPSTREAM_TIMEOUT, `Server "${this.identity.slug}" did not answer ${method} within ${timeoutMs} ms`, { server: this.identity.slug }));
      }, timeoutMs + OWNER_ANSWER_GRACE_MS);
      timer.unref();
      this.calls.add(callId);
      this.link.expect(callId, {
        settle: (outcome) => {
          // The hub no longer holds it (it is stopping, or lost its claim): connect again, and the call may go again.
          if ('error' in outcome && holderGone(outcome.error)) return this.lose(outcome.error.message, true);
          done();
          if ('result' in outcome) resolve(outcome.result);
          else reject(new RpcError(outcome.error.code, outcome.error.message, outcome.error.data));
        },
        related: (message) => (options.onRelated ? options.onRelated(message) : this.events.onNotification(this, message)),
        fail: (error) => {
          done();
          reject(error);
        },
      });
      const call: ToOwner = { ...this.ref, from: '', op: 'call', callId, method, params, timeoutMs, client: options.client, related: !!options.onRelated, sessionId: options.sessionId };
      void this.link.send(this.owner, call).then((heard) => {
        if (heard) return options.onSent?.(callId);
        this.lose(`hub ${this.owner} is gone`, true); // fails this call too
      });
    });
  }

  async notify(method: string, params?: Record<string, unknown>): Promise<void> {
    if (await this.link.send(this.owner, { ...this.ref, from: '', op: 'notify', method, params })) return;
    this.lose(`hub ${this.owner} is gone`, true);
    throw this.ownerGone();
  }

  async respond(id: JsonRpcId, outcome: Outcome): Promise<void> {
    await this.link.send(this.owner, { ...this.ref, from: '', op: 'respond', id, outcome });
  }

  /** `upstreamId` is the call id this connection gave the call (see `onSent`). */
  cancel(upstreamId: number, reason?: string): void {
    if (this.calls.has(upstreamId)) void this.link.send(this.owner, { ...this.ref, from: '', op: 'cancel', callId: upstreamId, reason });
  }

  /** The owner asks something of an agent (sampling, elicitation): handled as if this connection's upstream asked. */
  ask(message: JsonRpcRequest): void {
    this.events.onRequest(this, message);
  }

  /** A notification the owner sent this hub only (the upstream withdrew a request it asked here). */
  heard(message: JsonRpcNotification): void {
    this.events.onNotification(this, message);
  }

  /** The owner's connection ended or the owner went: calls still waiting fail, and the pool connects again. */
  lose(reason: string, hubGone = false): void {
    if (this.ended) return;
    this.ended = true;
    this.link.closed(this, false);
    const error = hubGone ? this.ownerGone() : this.unavailable(`lost its connection: ${reason}`);
    for (const callId of [...this.calls]) this.link.fail(callId, error);
    this.events.onLost(this, reason);
  }

  /** This hub stops using it; the owner's connection (shared with other hubs) stays. Calls still waiting end. */
  async close(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    this.link.closed(this, true);
    for (const callId of [...this.calls]) this.link.fail(callId, this.unavailable('was closed'));
  }

  /** Calls that never got an answer because the owning hub went: safe to send again where the tool allows it. */
  ownerGone(): RpcError {
    return this.unavailable(`is run by another hub that is gone (${this.owner})`, { hubGone: true });
  }

  private unavailable(what: string, extra: Record<string, unknown> = {}): RpcError {
    return new RpcError(RpcCode.UPSTREAM_UNAVAILABLE, `Server "${this.identity.slug}" ${what}`, { server: this.identity.slug, ...extra });
  }
}

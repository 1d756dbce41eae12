import { Inject, Injectable, type BeforeApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { HUB_CONFIG, type HubConfig } from '#core';
import { RpcCode, RpcError, type JsonRpcId, type JsonRpcNotification, type JsonRpcRequest } from '../../protocol/json-rpc.js';
import { SessionBus } from '../../session/session-bus.js';
import { SessionRegistry } from '../../session/session-registry.js';
import type { UpstreamConnection, UpstreamIdentity } from '../upstream-connection.js';
import { UpstreamPool } from '../upstream-pool.js';
import { ConnectionOwners } from './connection-owners.js';
import { ForwardedConnections } from './forwarded-connections.js';
import { refKey, type CallerHubs, type ConnectionRef, type Outcome, type ToForwarder, type ToOwner } from './forwarding-messages.js';
import { RemoteUpstreamConnection } from './remote-upstream-connection.js';

/** A call another hub forwarded here, while its upstream works on it. */
export interface HostedCall {
  from: string;
  callId: number;
  ref: ConnectionRef;
  connection: UpstreamConnection;
  /** The agent session it is for, on the forwarding hub. */
  sessionId?: string;
  upstreamId?: number;
  /** performance.now() here, comparable with this hub's own calls' start. */
  startedAt: number;
}

export const SUBSCRIPTION_METHODS = new Set(['resources/subscribe', 'resources/unsubscribe']);

/** Progress tokens of forwarded calls carry their hub (tokens are unique per hub only). */
const hostedToken = (from: string, token: unknown) => `${from}~${String(token)}`;
/** An upstream's request ids are its own: one key per server and connection subject (as the relay matches them). */
const askedKey = ({ serverId, userId }: Pick<UpstreamIdentity, 'serverId' | 'userId'>, id: unknown) => `${serverId}|${userId ?? ''}|${String(id)}`;

/**
 * The owning side of ONE_HUB servers: runs the calls other hubs forward on this hub's live connection, sends each
 * answer back, routes what the upstream says about a forwarded call (progress, server→client requests) to the hub
 * that forwarded it, and shares the server's other notifications with every hub.
 */
@Injectable()
export class ConnectionHost implements OnModuleInit, BeforeApplicationShutdown {
  private readonly calls = new Map<string, HostedCall>();
  private readonly progress = new Map<string, { call: HostedCall; token: unknown }>();
  /** Per connection: the hubs forwarding to it (told when it ends). */
  private readonly followers = new Map<string, Set<string>>();
  /** Per connection and resource: the hubs with agents subscribed (each hub counts its own agents). */
  private readonly subscribers = new WeakMap<UpstreamConnection, Map<string, Set<string>>>();
  /** The upstream's requests asked of another hub's agent and not answered yet: a withdrawal goes to that hub. */
  private readonly asked = new Map<string, { hub: string; ref: ConnectionRef; timer: NodeJS.Timeout }>();

  constructor(
    private readonly pool: UpstreamPool,
    private readonly bus: SessionBus,
    private readonly owners: ConnectionOwners,
    private readonly forwarded: ForwardedConnections,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly sessions: SessionRegistry,
  ) {}

  onModuleInit() {
    this.bus.on('to-owner', ({ message }) => void this.receive(message));
    this.bus.on('upstream-notification', ({ notification }) => this.pool.heardElsewhere(notification));
    this.pool.addListener({
      onNotification: (serverId, message, userId, elsewhere) => {
        if (!elsewhere) this.share(serverId, message, userId);
      },
      onRequest: () => undefined,
      onCatalogChanged: () => undefined,
    });
    this.pool.onConnectionLost((replicaId, reason, subject) => this.tellFollowers((ref) => ref.replicaId === replicaId && ref.subject === subject, reason, false));
    this.owners.onLost((replicaId) => {
      this.tellFollowers((ref) => ref.replicaId === replicaId, 'its hub lost the claim on it', false);
      // (Its connect may fail, e.g. while the new holder cannot be reached: the pool backs off and retries.)
      this.pool.restart(replicaId).catch(() => undefined);
    });
  }

  /** Gives the connections this hub holds up first, so the hubs forwarding to it claim them at once. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.owners.releaseAll();
    // Calls still waiting here will not be finished: the forwarding hubs may send them again where that is safe.
    this.tellFollowers(() => true, 'the hub holding it is shutting down', true);
  }

  /**
   * The sessions with a call in flight on a server whose connection this hub holds, each with the hub of its latest
   * call: the forwarded ones and this hub's own. Read when the server speaks, so this hub and every other decide
   * from the same answer which hub tells which agent.
   */
  callers(serverId: string, userId: string | undefined): CallerHubs {
    const latest = new Map<string, { hub: string; startedAt: number }>();
    const consider = (sessionId: string, hub: string, startedAt: number) => {
      const seen = latest.get(sessionId);
      if (!seen || startedAt > seen.startedAt) latest.set(sessionId, { hub, startedAt });
    };
    for (const call of this.calls.values()) {
      const { identity } = call.connection;
      if (call.sessionId && identity.serverId === serverId && identity.userId === userId) consider(call.sessionId, call.from, call.startedAt);
    }
    for (const session of this.sessions.withCalls()) {
      if (userId && session.principal.userId !== userId) continue;
      for (const call of session.inflight.values()) if (call.serverId === serverId) consider(session.id, this.bus.hubId, call.startedAt);
    }
    return Object.fromEntries([...latest].map(([sessionId, { hub }]) => [sessionId, hub]));
  }

  /** The most recent forwarded call in flight on `connection`, if any. */
  latestCall(connection: UpstreamConnection): HostedCall | undefined {
    let latest: HostedCall | undefined;
    for (const call of this.calls.values()) if (call.connection === connection && (!latest || call.startedAt > latest.startedAt)) latest = call;
    return latest;
  }

  /**
   * `send` is a subscribe or unsubscribe of `hub`'s agents to `uri`. A ONE_HUB server's one connection is shared by
   * every hub, and each hub counts only its own agents, so here the hubs are counted: the upstream hears only the
   * first hub's subscribe and the last hub's unsubscribe. Other connections (and ones held elsewhere: their holder
   * counts) always send it.
   */
  async shareSubscription(connection: UpstreamConnection, method: string, uri: string, send: () => Promise<Record<string, unknown>>, hub = this.bus.hubId): Promise<Record<string, unknown>> {
    if (connection instanceof RemoteUpstreamConnection || !this.forwarded.placed(this.pool.server(connection.identity.serverId))) return send();
    let byUri = this.subscribers.get(connection);
    if (!byUri) this.subscribers.set(connection, (byUri = new Map()));
    const hubs = byUri.get(uri) ?? new Set<string>();
    byUri.set(uri, hubs);
    const on = method === 'resources/subscribe';
    const before = hubs.size;
    if (on) hubs.add(hub);
    else hubs.delete(hub);
    if (!hubs.size) byUri.delete(uri);
    if (on ? before > 0 : before === 0 || hubs.size > 0) return {};
    try {
      return await send();
    } catch (error) {
      if (on) hubs.delete(hub); // not subscribed after all
      throw error;
    }
  }

  /** The upstream's request goes to the hub whose forwarded call caused it; the agent's answer comes back as `respond`. */
  ask(call: HostedCall, message: JsonRpcRequest): void {
    const key = askedKey(call.connection.identity, message.id);
    // The forwarding hub answers within its request timeout (the agent's answer, or its own timeout error); a hub
    // that died meanwhile never does, so the entry goes a little after.
    const timer = setTimeout(() => this.asked.delete(key), this.config.gateway.requestTimeoutMs + 5_000);
    timer.unref();
    this.asked.set(key, { hub: call.from, ref: call.ref, timer });
    void this.toForwarder(call.from, { op: 'request', ...call.ref, message }).then((heard) => {
      if (heard) return;
      this.answered(call.connection.identity, message.id);
      void call.connection.respond(message.id, { error: { code: RpcCode.UPSTREAM_UNAVAILABLE, message: 'The agent\'s hub is gone' } });
    });
  }

  private answered(identity: Pick<UpstreamIdentity, 'serverId' | 'userId'>, id: JsonRpcId): { hub: string; ref: ConnectionRef } | undefined {
    const key = askedKey(identity, id);
    const asked = this.asked.get(key);
    if (!asked) return undefined;
    clearTimeout(asked.timer);
    this.asked.delete(key);
    return asked;
  }

  private async receive(message: ToOwner): Promise<void> {
    const { from } = message;
    switch (message.op) {
      case 'open':
        try {
          const connection = await this.local(message);
          const key = refKey(message);
          if (!this.followers.has(key)) this.followers.set(key, new Set());
          this.followers.get(key)!.add(from);
          const { stateless, protocolVersion, capabilities, serverInfo, instructions } = connection;
          await this.toForwarder(from, { op: 'opened', ref: message.ref, info: { stateless, protocolVersion, capabilities, serverInfo, instructions } });
        } catch (error) {
          await this.toForwarder(from, { op: 'open-failed', ref: message.ref, error: asRpc(error).toJson() });
        }
        return;
      case 'call':
        return this.call(message);
      case 'cancel': {
        const call = this.calls.get(`${from}:${message.callId}`);
        if (call?.upstreamId !== undefined) call.connection.cancel(call.upstreamId, message.reason);
        return;
      }
      case 'notify':
        await this.pool.live(message.replicaId, message.subject)?.notify(message.method, message.params).catch(() => undefined);
        return;
      case 'respond': {
        const connection = this.pool.live(message.replicaId, message.subject);
        if (connection) this.answered(connection.identity, message.id);
        await connection?.respond(message.id, message.outcome).catch(() => undefined);
        return;
      }
      case 'close': {
        const key = refKey(message);
        const hubs = this.followers.get(key);
        if (hubs?.delete(from) && !hubs.size) this.followers.delete(key);
        return;
      }
      case 'restart':
        if (this.owners.holds(message.replicaId)) await this.pool.restart(message.replicaId).catch(() => undefined);
        await this.toForwarder(from, { op: 'restarted', ref: message.ref });
    }
  }

  private async call(message: Extract<ToOwner, { op: 'call' }>): Promise<void> {
    const { from, callId } = message;
    const key = `${from}:${callId}`;
    let outcome: Outcome;
    let token: string | undefined;
    try {
      const connection = await this.local(message);
      const call: HostedCall = { from, callId, ref: { replicaId: message.replicaId, subject: message.subject }, connection, sessionId: message.sessionId, startedAt: performance.now() };
      this.calls.set(key, call);
      let params = message.params;
      const meta = params?._meta as Record<string, unknown> | undefined;
      if (meta?.progressToken !== undefined) {
        token = hostedToken(from, meta.progressToken);
        this.progress.set(token, { call, token: meta.progressToken });
        params = { ...params, _meta: { ...meta, progressToken: token } };
      }
      const related = (m: JsonRpcNotification) => void this.toForwarder(from, { op: 'related', callId, message: m });
      const send = () =>
        connection.request(message.method, params, message.timeoutMs, {
          onSent: (id) => (call.upstreamId = id),
          client: message.client,
          onRelated: message.related ? related : undefined,
        });
      const result = SUBSCRIPTION_METHODS.has(message.method) ? await this.shareSubscription(connection, message.method, String(params?.uri), send, from) : await send();
      outcome = { result };
    } catch (error) {
      outcome = { error: asRpc(error).toJson() };
    } finally {
      this.calls.delete(key);
      if (token) this.progress.delete(token);
    }
    await this.toForwarder(from, { op: 'answer', callId, outcome });
  }

  /** This hub's own connection for `ref`; never a forwarded one (no chains: the forwarder claims again instead). */
  private async local(ref: ConnectionRef): Promise<UpstreamConnection> {
    // `moved`: the forwarding hub connects again (claiming it, or reaching its new holder) and may send the call again.
    if (!this.owners.holds(ref.replicaId)) throw new RpcError(RpcCode.UPSTREAM_UNAVAILABLE, 'This hub no longer holds the connection (it moved)', { moved: true });
    const connection = await this.pool.connection(ref.replicaId, ref.subject);
    if (connection instanceof RemoteUpstreamConnection) throw new RpcError(RpcCode.UPSTREAM_UNAVAILABLE, 'This hub forwards that connection itself (it moved)', { moved: true });
    return connection;
  }

  /**
   * Progress of a forwarded call goes to its hub, and the withdrawal of a request asked of another hub's agent to
   * that hub; the server's other notifications to every hub.
   */
  private share(serverId: string, message: JsonRpcNotification, userId: string | undefined): void {
    if (!this.forwarded.placed(this.pool.server(serverId))) return;
    if (message.method === 'notifications/progress') {
      const hosted = this.progress.get(String(message.params?.progressToken));
      if (hosted) void this.toForwarder(hosted.call.from, { op: 'related', callId: hosted.call.callId, message: { ...message, params: { ...message.params, progressToken: hosted.token } } });
      return;
    }
    if (message.method === 'notifications/cancelled') {
      const asked = this.answered({ serverId, userId }, message.params?.requestId as JsonRpcId);
      if (asked) void this.toForwarder(asked.hub, { op: 'request-cancelled', ...asked.ref, message });
      return;
    }
    const callers = this.callers(serverId, userId);
    void this.bus.announce({ kind: 'upstream-notification', notification: { serverId, message, ...(userId ? { userId } : {}), callers } });
  }

  private tellFollowers(matches: (ref: ConnectionRef) => boolean, reason: string, resend: boolean): void {
    for (const [key, hubs] of [...this.followers]) {
      const [replicaId, subject] = key.split('|');
      if (!matches({ replicaId, subject })) continue;
      this.followers.delete(key);
      for (const hub of hubs) void this.toForwarder(hub, { op: 'lost', replicaId, subject, reason, resend });
    }
  }

  private toForwarder(hub: string, message: ToForwarder): Promise<boolean> {
    return this.bus.toHub(hub, { kind: 'to-forwarder', message });
  }
}

function asRpc(error: unknown): RpcError {
  return error instanceof RpcError ? error : new RpcError(RpcCode.INTERNAL_ERROR, (error as Error)?.message ?? 'internal error');
}

import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { Inject } from '@nestjs/common';
import { HUB_CONFIG, type HubConfig } from '#core';
import { RpcCode, RpcError, type JsonRpcId, type JsonRpcNotification, type JsonRpcRequest, type JsonRpcResponse } from '../protocol/json-rpc.js';
import { GatewayView } from '../catalog/gateway-view.service.js';
import type { McpSession } from '../session/mcp-session.js';
import type { MessageChannel } from '../session/message-channel.js';
import { ListenStreams } from '../session/listen-streams.js';
import { RemoteStreamChannel } from '../session/remote-stream-channel.js';
import { SessionBus } from '../session/session-bus.js';
import { SessionRegistry } from '../session/session-registry.js';
import type { UpstreamConnection } from '../upstream/upstream-connection.js';
import { UpstreamPool } from '../upstream/upstream-pool.js';
import { ConnectionHost } from '../upstream/forwarding/connection-host.js';
import { ForwardedConnections } from '../upstream/forwarding/forwarded-connections.js';
import type { CallerHubs } from '../upstream/forwarding/forwarding-messages.js';
import { InputRequiredBridge } from './input-rounds-for-stateless.js';
import { CAPABILITY_OF } from '../protocol/client-requests.js';

interface ProgressRoute {
  session: McpSession;
  token: string | number;
  channel: MessageChannel;
}

type ClientOutcome = { result: Record<string, unknown> } | { error: { code: number; message: string; data?: unknown } };

interface ClientRequestRelay {
  /** Set when a 2025-era upstream asked (its request id there); unset when the hub asks for a 2026 upstream. */
  connection?: UpstreamConnection;
  upstreamId?: JsonRpcId;
  session: McpSession;
  timer: NodeJS.Timeout;
  answer(outcome: ClientOutcome): void;
}

const LIST_CHANGED = ['notifications/tools/list_changed', 'notifications/resources/list_changed', 'notifications/prompts/list_changed'];

/**
 * Messages that flow from upstreams back to agents: progress to the requesting session only, server→client
 * requests to the session whose call caused them, list_changed and logs to the sessions of groups that include
 * the server, resource updates to subscribers.
 */
@Injectable()
export class UpstreamRelay implements OnApplicationBootstrap {
  private nextToken = 1;
  private nextRelayId = 1;
  private readonly progress = new Map<string, ProgressRoute>();
  private readonly relays = new Map<string, ClientRequestRelay>();

  constructor(
    private readonly pool: UpstreamPool,
    private readonly view: GatewayView,
    private readonly sessions: SessionRegistry,
    private readonly inputs: InputRequiredBridge,
    private readonly listens: ListenStreams,
    private readonly bus: SessionBus,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly host: ConnectionHost,
    private readonly forwarded: ForwardedConnections,
  ) {}

  onApplicationBootstrap() {
    this.pool.addListener({
      onNotification: (serverId, message, userId, elsewhere) => this.onNotification(serverId, message, userId, elsewhere?.callers),
      onRequest: (serverId, connection, message) => this.onRequest(serverId, connection, message),
      onCatalogChanged: () => undefined,
    });
    this.view.addListener({ onGroupChanged: (slug) => this.broadcastListChanged(slug) });
    this.bus.on('client-response', (message) => this.answerRelay(message.sessionId, message.response));
  }

  /** Swaps the agent's progress token for one unique across sessions; returns the token to send upstream. */
  mapProgressToken(session: McpSession, token: string | number, channel: MessageChannel): string {
    const hubToken = `hub-${this.nextToken++}`;
    this.progress.set(hubToken, { session, token, channel });
    return hubToken;
  }

  releaseProgressToken(hubToken: string): void {
    this.progress.delete(hubToken);
  }

  /**
   * An agent's response to a relayed server→client request. Returns false if it answers nothing we sent. An answer
   * to a request another hub relayed (its id names that hub: the agent's POST landed elsewhere) is sent there.
   */
  deliverClientResponse(session: McpSession, response: JsonRpcResponse): boolean {
    if (this.answerRelay(session.id, response)) return true;
    const hubId = /^hub-req-([0-9a-f]+)-\d+$/.exec(String(response.id))?.[1];
    if (!hubId || hubId === this.bus.hubId) return false;
    void this.bus.toHub(hubId, { kind: 'client-response', sessionId: session.id, response });
    return true;
  }

  /** Relay ids name this hub when several hubs share sessions. */
  private nextRelayKey(): string {
    return this.bus.shared ? `hub-req-${this.bus.hubId}-${this.nextRelayId++}` : `hub-req-${this.nextRelayId++}`;
  }

  private answerRelay(sessionId: string, response: JsonRpcResponse): boolean {
    const key = String(response.id);
    const relay = this.relays.get(key);
    // By id: another hub's copy of the session is another object.
    if (!relay || relay.session.id !== sessionId) return false;
    this.relays.delete(key);
    clearTimeout(relay.timer);
    relay.answer(response.error ? { error: response.error } : { result: response.result ?? {} });
    return true;
  }

  /**
   * Sends a server→client request to the agent on `channel` and resolves with its answer: how the hub fulfils a
   * 2026-07-28 upstream's InputRequiredResult for a 2025-era agent. Rejects when the agent errs or is too slow.
   */
  askAgent(session: McpSession, channel: MessageChannel, method: string, params: Record<string, unknown>): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const relayId = this.nextRelayKey();
      const timer = setTimeout(() => {
        if (this.relays.delete(relayId)) reject(new RpcError(RpcCode.UPSTREAM_TIMEOUT, `The agent did not answer ${method} in time`));
      }, this.config.gateway.requestTimeoutMs);
      timer.unref();
      this.relays.set(relayId, {
        session,
        timer,
        answer: (outcome) => ('error' in outcome ? reject(new RpcError(outcome.error.code, `The agent answered ${method} with an error: ${outcome.error.message}`, outcome.error.data)) : resolve(outcome.result)),
      });
      channel.send({ jsonrpc: '2.0', id: relayId, method, params });
    });
  }

  /**
   * From a person's connection to a PER_USER server (`userId`), only that person's sessions hear it. `callers`: the
   * holder's account of a ONE_HUB server's calls in flight, when the notification came from another hub.
   */
  private onNotification(serverId: string, message: JsonRpcNotification, userId?: string, callers?: CallerHubs): void {
    const params = message.params ?? {};
    if (message.method === 'notifications/progress') {
      const route = this.progress.get(String(params.progressToken));
      route?.channel.send({ ...message, params: { ...params, progressToken: route.token } });
      return;
    }
    if (message.method === 'notifications/cancelled') {
      const relay = [...this.relays.entries()].find(([, r]) => r.connection?.identity.serverId === serverId && r.upstreamId === params.requestId);
      if (relay) {
        this.relays.delete(relay[0]);
        clearTimeout(relay[1].timer);
        relay[1].session.standalone?.send({ ...message, params: { ...params, requestId: relay[0] } });
      }
      return;
    }
    if (LIST_CHANGED.includes(message.method)) return; // the pool refreshes the lists; the view announces the change
    const update = message.method === 'notifications/resources/updated';
    // A ONE_HUB server's notifications reach every hub, each with the same account of who was calling it (this hub
    // holds the connection when `callers` is not given). A resource update goes from the hub where the agent
    // subscribed: only that hub's copy of the session knows.
    const tellers = !update && this.forwarded.placed(this.pool.server(serverId)) ? (callers ?? this.host.callers(serverId, userId)) : undefined;
    for (const group of this.view.groupsContaining(serverId)) {
      if (update) {
        for (const stream of this.listens.ofGroup(group.slug)) if (!userId || stream.userId === userId) stream.offer(message);
      }
      for (const session of this.sessions.ofGroup(group.slug)) {
        if (userId && session.principal.userId !== userId) continue;
        if (update && !session.subscriptions.has(String(params.uri))) continue;
        if (tellers) this.tellOnce(session, serverId, message, tellers[session.id]);
        else this.tell(session, serverId, message);
      }
    }
  }

  /**
   * On the agent's stream (here or on another hub), else on its call to the server in flight. A resource update the
   * agent subscribed to here is not dropped for want of either: the stream may be on a hub whose news was lost.
   */
  private tell(session: McpSession, serverId: string, message: JsonRpcNotification): void {
    const channel = session.standalone?.open ? session.standalone : this.activeCallChannel(session, serverId);
    if (channel) channel.send(message);
    else if (message.method === 'notifications/resources/updated') void this.sessions.findStream(session).then((stream) => stream?.send(message));
  }

  /**
   * One of every hub's copies of the session sends a ONE_HUB server's notification: the hub of the agent's call in
   * flight on the server (on the call, or on the agent's stream when this hub holds it), else the hub holding the
   * agent's stream. What this hub has heard of another hub's stream plays no part: that news may be late or lost.
   */
  private tellOnce(session: McpSession, serverId: string, message: JsonRpcNotification, callerHub: string | undefined): void {
    const stream = session.standalone instanceof RemoteStreamChannel ? undefined : session.standalone;
    if (callerHub === undefined) {
      if (stream?.open) stream.send(message);
    } else if (callerHub === this.bus.hubId) {
      (stream?.open ? stream : this.activeCallChannel(session, serverId))?.send(message);
    }
  }

  private onRequest(serverId: string, connection: UpstreamConnection, message: JsonRpcRequest): void {
    const capability = CAPABILITY_OF[message.method];
    if (message.method === 'ping') {
      void connection.respond(message.id, { result: {} });
      return;
    }
    const refuse = (why: string) =>
      void connection.respond(message.id, { error: { code: RpcCode.METHOD_NOT_FOUND, message: why } });
    if (!capability) return refuse(`The hub does not relay ${message.method}`);
    const local = this.causingCall(serverId, connection.identity.userId);
    // Another hub's call forwarded here, more recent than any of ours: the request goes to that hub's agent.
    const hosted = this.host.latestCall(connection);
    if (hosted && (!local || hosted.startedAt > local.startedAt)) return this.host.ask(hosted, message);
    const session = local?.session;
    if (!session) return refuse(`No agent session is waiting on this server to answer ${message.method}`);
    if (session.transport === 'stateless') return this.inputs.onUpstreamRequest(session, connection, message.id, message.method, message.params ?? {});
    if (!session.supports(capability)) return refuse(`The agent did not declare the ${capability} capability`);
    const channel = this.activeCallChannel(session, serverId) ?? session.standalone;
    if (!channel?.open) return refuse('The agent has no open stream to receive this request');
    const relayId = this.nextRelayKey();
    const timer = setTimeout(() => {
      if (!this.relays.delete(relayId)) return;
      void connection.respond(message.id, { error: { code: RpcCode.UPSTREAM_TIMEOUT, message: `The agent did not answer ${message.method} in time` } });
    }, this.config.gateway.requestTimeoutMs);
    timer.unref();
    this.relays.set(relayId, { connection, upstreamId: message.id, session, timer, answer: (outcome) => void connection.respond(message.id, outcome) });
    channel.send({ ...message, id: relayId });
  }

  /**
   * The session whose call most likely caused a server→client request: the most recent in-flight call on the
   * server. (A shared stdio connection does not say which request a server→client request belongs to.)
   */
  private causingCall(serverId: string, userId: string | undefined): { session: McpSession; startedAt: number } | undefined {
    let best: { session: McpSession; startedAt: number } | undefined;
    for (const session of this.sessions.withCalls()) {
      if (userId && session.principal.userId !== userId) continue; // a person's own connection asks only them
      for (const call of session.inflight.values()) {
        if (call.serverId === serverId && (!best || call.startedAt > best.startedAt)) best = { session, startedAt: call.startedAt };
      }
    }
    return best;
  }

  private activeCallChannel(session: McpSession, serverId: string): MessageChannel | undefined {
    for (const call of session.inflight.values()) if (call.serverId === serverId && call.channel.open) return call.channel;
    return undefined;
  }

  private broadcastListChanged(groupSlug: string): void {
    for (const stream of this.listens.ofGroup(groupSlug)) for (const method of LIST_CHANGED) stream.offer({ jsonrpc: '2.0', method });
    for (const session of this.sessions.ofGroup(groupSlug)) {
      // Every hub hears a group change: the hub holding the stream tells the agent, once.
      if (!session.initialized || !session.standalone?.open || session.standalone instanceof RemoteStreamChannel) continue;
      for (const method of LIST_CHANGED) session.standalone.send({ jsonrpc: '2.0', method });
    }
  }
}

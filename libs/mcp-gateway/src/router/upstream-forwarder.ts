import { Inject, Injectable } from '@nestjs/common';
import { CallTracer, HUB_CONFIG, type HubConfig } from '#core';
import { ReplicaBalancer } from '../balancing/replica-balancer.js';
import { UpstreamFailureWatch } from '../balancing/upstream-failure-watch.js';
import { RpcCode, RpcError } from '../protocol/json-rpc.js';
import { isTokenRefused, type UpstreamCallOptions, type UpstreamConnection } from '../upstream/upstream-connection.js';
import { UpstreamPool } from '../upstream/upstream-pool.js';
import { ConnectionHost, SUBSCRIPTION_METHODS } from '../upstream/forwarding/connection-host.js';
import { holderGone } from '../upstream/forwarding/remote-upstream-connection.js';
import { bridgeInputRequired, isInputRequired } from './input-rounds-for-sessions.js';
import type { CallContext } from './call-context.js';
import { UpstreamRelay } from './upstream-relay.js';

type Params = Record<string, unknown>;

/** Failures of the path to the upstream (not answers from it): they count against the replica and may fail over. */
export const TRANSPORT_FAILURES = new Set<number>([RpcCode.UPSTREAM_UNAVAILABLE, RpcCode.UPSTREAM_TIMEOUT]);

export interface ForwardOptions {
  /** The request may be sent again to another replica after a failure that may have reached the upstream. */
  retrySafe: boolean;
  timeoutMs?: number;
  /** First try this replica (a routing rule chose it). */
  replicaId?: string;
  /** Filled in with the replica tried last (the one that answered, or failed last), for the call log. */
  served?: { replicaId?: string };
}

/** Sends agents' requests to upstream replicas: balancing, failover, circuit breakers, id and progress mapping. */
@Injectable()
export class UpstreamForwarder {
  constructor(
    private readonly pool: UpstreamPool,
    private readonly balancer: ReplicaBalancer,
    private readonly relay: UpstreamRelay,
    private readonly tracer: CallTracer,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly failures: UpstreamFailureWatch,
    private readonly host: ConnectionHost,
  ) {}

  /**
   * Forwards one request to a replica chosen by the balancer. After a transport failure (unreachable, crashed,
   * timed out) it moves to the next replica when that is safe: the request never left, or the tool is idempotent
   * or read-only, or the server allows retries. Errors the upstream itself answered are returned as they are.
   */
  async forward(
    serverId: string,
    method: string,
    params: Params,
    ctx: CallContext,
    options: ForwardOptions = { retrySafe: true },
  ): Promise<Record<string, unknown>> {
    const server = this.pool.server(serverId);
    if (!server) throw new RpcError(RpcCode.UPSTREAM_UNAVAILABLE, 'Server is not configured or disabled');
    const safe = options.retrySafe || server.retryCalls;
    const tried = new Set<string>();
    let lastError: RpcError | undefined;
    /** Set once: the replica refused the person's token and it was renewed, so the call goes there again. */
    let renewedOn: (typeof server.replicas)[number] | undefined;
    let renewed = false;
    let resentAfterHubGone = false;
    for (;;) {
      const pinned = options.replicaId && !tried.size ? server.replicas.find((r) => r.id === options.replicaId) : undefined;
      const again = renewedOn;
      renewedOn = undefined;
      const replica = again ?? pinned ?? this.stickyReplica(ctx, server, tried) ?? this.balancer.pick(server, tried) ?? (tried.size ? undefined : server.replicas[0]);
      if (!replica) throw lastError!;
      tried.add(replica.id);
      if (options.served) options.served.replicaId = replica.id;
      const breaker = this.balancer.breaker(replica.id);
      breaker.acquire();
      const attempt: { sent: boolean; connection?: UpstreamConnection } = { sent: false };
      // One span per attempt, so a failover shows as two forwards under one call.
      const span = ctx.span && this.tracer.start('mcp.upstream_forward', {
        kind: 'client',
        parent: ctx.span,
        attributes: { 'mcp.method.name': method, 'mcphub.server': server.slug, 'mcphub.replica': replica.name },
      });
      try {
        const result = await this.send(replica.id, method, params, ctx, attempt, options.timeoutMs);
        breaker.success();
        if (method === 'resources/subscribe') ctx.session.stickyReplicas.set(serverId, replica.id);
        return result;
      } catch (error) {
        span?.fail(error instanceof RpcError ? `JSON-RPC error ${error.code}` : 'internal error');
        // The upstream refused the person's OAuth token (401: the request was refused, not processed, so trying
        // it again is safe even for a tool call): renewed once and sent again; else -32005, authorize again.
        if (isTokenRefused(error) && attempt.connection && (await this.pool.tokenRefused(attempt.connection, !renewed).catch(releasing(breaker)))) {
          breaker.release();
          if (renewed) throw error;
          renewed = true;
          renewedOn = replica;
          continue;
        }
        if (!(error instanceof RpcError) || !TRANSPORT_FAILURES.has(error.code)) {
          breaker.release();
          throw error;
        }
        breaker.failure();
        this.failures.record(server, error);
        lastError = error;
        // The hub running a ONE_HUB server's process went with the call: once, the same replica again (claimed anew).
        if (holderGone(error) && !resentAfterHubGone && (!attempt.sent || safe)) {
          resentAfterHubGone = true;
          tried.delete(replica.id);
          continue;
        }
        if (attempt.sent && !safe) {
          throw new RpcError(error.code, `${error.message}; not retried on another replica: the tool is not marked idempotent or read-only`, error.data);
        }
      } finally {
        span?.end();
      }
    }
  }

  private stickyReplica(ctx: CallContext, server: { id: string; replicas: { id: string }[] }, tried: ReadonlySet<string>) {
    const id = ctx.session.stickyReplicas.get(server.id);
    if (!id || tried.has(id) || !this.balancer.breaker(id).available) return undefined;
    return this.pool.server(server.id)?.replicas.find((r) => r.id === id);
  }

  /**
   * One attempt on one replica, with the hub's own request id and progress token. A 2026-07-28 upstream is told
   * the agent's capabilities and log level per request; what it sends inside the answer (progress, logs) goes to
   * the agent's channel; its InputRequiredResult goes back as is to 2026 agents and is bridged for 2025 ones.
   */
  private async send(replicaId: string, method: string, params: Params, ctx: CallContext, attempt: { sent: boolean; connection?: UpstreamConnection }, timeoutMs = this.config.gateway.requestTimeoutMs): Promise<Record<string, unknown>> {
    const primary = await this.pool.connection(replicaId, ctx.session.principal.userId);
    attempt.connection = primary;
    // A 2025-era agent talks to a dual-era server in its own era; to a 2026-only one through the bridge below.
    const companion = !ctx.stateless && primary.legacyCompanion ? await primary.legacyCompanion() : undefined;
    const connection = companion ?? primary;
    const { session, requestId, channel } = ctx;
    const meta = params._meta as Record<string, unknown> | undefined;
    let hubToken: string | undefined;
    if (meta?.progressToken !== undefined) {
      hubToken = this.relay.mapProgressToken(session, meta.progressToken as string | number, channel);
      params = { ...params, _meta: { ...meta, progressToken: hubToken } };
    }
    const call = { channel, serverId: connection.identity.serverId, connection, startedAt: performance.now(), upstreamId: undefined as number | undefined };
    session.inflight.set(requestId, call);
    const options: UpstreamCallOptions = {
      sessionId: session.id,
      onSent: (id) => {
        call.upstreamId = id;
        attempt.sent = true;
      },
    };
    if (connection.stateless) {
      // 2026 agents: what their request said; 2025 agents: their session's capabilities and the shared log level.
      options.client = ctx.stateless
        ? { capabilities: ctx.stateless.clientCapabilities, logLevel: ctx.stateless.logLevel ?? null }
        : { capabilities: session.clientCapabilities };
      options.onRelated = (message) => {
        if (message.method !== 'notifications/progress') return channel.send(message);
        if (hubToken !== undefined && message.params?.progressToken === hubToken) channel.send({ ...message, params: { ...message.params, progressToken: meta!.progressToken } });
      };
    }
    try {
      const send = () => connection.request(method, params, timeoutMs, options);
      // A ONE_HUB server's upstream subscriptions are shared by every hub: its holder sends only the first and last.
      const result = SUBSCRIPTION_METHODS.has(method) ? await this.host.shareSubscription(connection, method, String(params.uri), send) : await send();
      if (!connection.stateless || ctx.stateless || !isInputRequired(result)) return result;
      const ask = (askMethod: string, askParams: Params) => {
        const to = channel.open ? channel : session.standalone;
        if (!to?.open) throw new RpcError(RpcCode.UPSTREAM_UNAVAILABLE, `The agent has no open stream to receive ${askMethod} (server "${connection.identity.slug}" needs it)`);
        return this.relay.askAgent(session, to, askMethod, askParams);
      };
      return await bridgeInputRequired(result, connection.identity.slug, session, async (m, p) => ask(m, p), (extra) =>
        connection.request(method, { ...params, ...extra }, timeoutMs, options),
      );
    } finally {
      session.inflight.delete(requestId);
      if (hubToken) this.relay.releaseProgressToken(hubToken);
    }
  }
}

/** An error of the token renewal itself (e.g. -32005) is the call's answer: the replica is not at fault. */
function releasing(breaker: { release(): void }) {
  return (error: unknown): never => {
    breaker.release();
    throw error;
  };
}

import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { CallTracer, HUB_CONFIG, type HubConfig } from '#core';
import { namingInstructions } from '#groups';
import { GatewayView } from '../catalog/gateway-view.service.js';
import type { GroupCatalog } from '../catalog/group-catalog.js';
import {
  RpcCode,
  RpcError,
  UnknownNameError,
  errorOf,
  invalidParams,
  requireString,
  isResponse,
  resultOf,
  type JsonRpcId,
  type JsonRpcMessage,
  type JsonRpcNotification,
  type JsonRpcRequest,
  type JsonRpcResponse,
} from '../protocol/json-rpc.js';
import { NO_CACHE, cacheHintOf } from '../protocol/cache-hints.js';
import { META, SERVED_VERSIONS, negotiateVersion } from '../protocol/protocol-versions.js';
import type { CatalogKind } from '../upstream/server-catalog.js';
import { withoutEnvelope } from '../upstream/stateless-envelope.js';
import type { McpSession } from '../session/mcp-session.js';
import { ListenStream, ListenStreams, type SubscriptionFilter } from '../session/listen-streams.js';
import { SessionRegistry } from '../session/session-registry.js';
import { UpstreamPool } from '../upstream/upstream-pool.js';
import type { CallContext } from './call-context.js';
import { CallJournal } from './call-journal.js';
import { paginate } from './list-pagination.js';
import { INPUT_REQUIRED_METHODS, InputRequiredBridge } from './input-rounds-for-stateless.js';
import { ToolCallPipeline } from './tool-call-pipeline.js';
import { UpstreamForwarder } from './upstream-forwarder.js';
import { UpstreamRelay } from './upstream-relay.js';

type Params = Record<string, unknown>;
type Handler = (params: Params, ctx: CallContext, catalog: () => Promise<GroupCatalog>) => Promise<Record<string, unknown>>;

const HUB_CAPABILITIES = {
  tools: { listChanged: true },
  resources: { subscribe: true, listChanged: true },
  prompts: { listChanged: true },
  logging: {},
  completions: {},
};

/** Methods the 2026-07-28 revision removed (sessions, and subscriptions now opened with subscriptions/listen). */
const REMOVED_IN_STATELESS = new Set(['initialize', 'ping', 'logging/setLevel', 'resources/subscribe', 'resources/unsubscribe', 'notifications/initialized']);
/** Methods only the 2026-07-28 revision has. */
const STATELESS_ONLY = new Set(['server/discover', 'subscriptions/listen']);

const SERVER_VERSION = '0.1.0';

/**
 * The transport-agnostic data plane: given a session (or a stateless request's own context) and one JSON-RPC
 * message, resolve the target upstream (namespace map → server) and forward. Reads only in-memory state; the
 * front-ends (Streamable HTTP sessions, legacy SSE, 2026-07-28 stateless requests) only parse and deliver.
 */
@Injectable()
export class McpRouter implements OnApplicationBootstrap {
  private readonly subscriptionCounts = new Map<string, number>();
  private readonly handlers: Record<string, Handler> = {
    ping: async () => ({}),
    'server/discover': async (_p, c) => this.discover(c),
    'subscriptions/listen': (p, c, catalog) => this.listen(p, c, catalog),
    'tools/list': async (p, c, catalog) => this.list(await catalog(), 'tools', p, c),
    'resources/list': async (p, c, catalog) => this.list(await catalog(), 'resources', p, c),
    'resources/templates/list': async (p, c, catalog) => this.list(await catalog(), 'resourceTemplates', p, c),
    'prompts/list': async (p, c, catalog) => this.list(await catalog(), 'prompts', p, c),
    'tools/call': (p, c, catalog) => this.toolCalls.call(p, c, catalog),
    'prompts/get': (p, c, catalog) =>
      this.journaled(c, 'prompts/get', p.name, p.arguments, async (served) => {
        const route = (await catalog()).prompt(requireString(p, 'name'));
        if (!route) throw new UnknownNameError(`Unknown prompt: ${String(p.name)}`);
        served.serverId = route.serverId;
        const result = await this.forwarder.forward(route.serverId, 'prompts/get', { ...p, name: route.name }, c, { retrySafe: true, served });
        return c.stateless ? this.inputs.sealUpstream(result, c, route.serverId, InputRequiredBridge.target('prompts/get', p)) : result;
      }),
    'resources/read': (p, c, catalog) =>
      this.journaled(c, 'resources/read', p.uri, p, async (served) => {
        served.serverId = await this.resourceServer(p, catalog);
        const result = await this.forwarder.forward(served.serverId, 'resources/read', p, c, { retrySafe: true, served });
        if (!c.stateless) return result;
        // A stateless agent may cache a read only as long as the server that owns the resource allowed.
        const sealed = this.inputs.sealUpstream(result, c, served.serverId, InputRequiredBridge.target('resources/read', p));
        return sealed.resultType === 'input_required' ? sealed : { ...sealed, ...(cacheHintOf(result) ?? NO_CACHE) };
      }),
    'resources/subscribe': async (p, c, catalog) => this.subscribe(p, c, catalog, true),
    'resources/unsubscribe': async (p, c, catalog) => this.subscribe(p, c, catalog, false),
    'completion/complete': (p, c, catalog) => this.complete(p, c, catalog),
    'logging/setLevel': (p, c) => this.setLogLevel(p, c),
  };

  constructor(
    private readonly view: GatewayView,
    private readonly pool: UpstreamPool,
    private readonly forwarder: UpstreamForwarder,
    private readonly relay: UpstreamRelay,
    private readonly sessions: SessionRegistry,
    private readonly toolCalls: ToolCallPipeline,
    private readonly tracer: CallTracer,
    private readonly journal: CallJournal,
    private readonly inputs: InputRequiredBridge,
    private readonly listens: ListenStreams,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  onApplicationBootstrap() {
    this.sessions.onClose((session) => this.releaseSession(session));
    this.sessions.onCancelledElsewhere((session, requestId, reason) => this.cancel(session, requestId, reason));
  }

  private cancel(session: McpSession, requestId: JsonRpcId, reason?: string): void {
    const call = session.inflight.get(requestId);
    if (call?.connection && call.upstreamId !== undefined) call.connection.cancel(call.upstreamId, reason);
  }

  /** Answers one request. Never throws: failures become JSON-RPC errors naming the cause. */
  async handleRequest(request: JsonRpcRequest, ctx: CallContext): Promise<JsonRpcResponse> {
    if (!this.tracer.enabled) return this.answer(request, ctx);
    // Agents choose method strings: only known ones become attribute values.
    const method = Object.hasOwn(this.handlers, request.method) || request.method === 'initialize' ? request.method : 'unknown';
    const span = this.tracer.start('mcp.request', {
      kind: 'server',
      traceparent: ctx.traceparent,
      attributes: { 'rpc.system': 'jsonrpc', 'mcp.method.name': method, 'mcphub.group': ctx.session.groupSlug },
    });
    try {
      const response = await this.answer(request, { ...ctx, span });
      // The code only: messages may quote what the agent sent.
      if (response.error) span.fail(`JSON-RPC error ${response.error.code}`);
      return response;
    } finally {
      span.end();
    }
  }

  private async answer(request: JsonRpcRequest, ctx: CallContext): Promise<JsonRpcResponse> {
    const { session } = ctx;
    session.lastSeen = Date.now();
    try {
      if (ctx.stateless ? REMOVED_IN_STATELESS.has(request.method) : STATELESS_ONLY.has(request.method)) {
        throw new RpcError(RpcCode.METHOD_NOT_FOUND, `Method not found: ${request.method} is not part of protocol version ${session.protocolVersion}`);
      }
      if (request.method === 'initialize') return resultOf(request.id, this.initialize(session, request.params ?? {}));
      const handler = this.handlers[request.method];
      if (!handler) throw new RpcError(RpcCode.METHOD_NOT_FOUND, `Method not found: ${request.method}`);
      const catalog = () => this.view.catalog(session.groupSlug, session.principal.userId);
      // The 2026 envelope describes the agent to the hub (ctx.stateless); each upstream gets its own.
      const params = ctx.stateless ? withoutEnvelope(request.params ?? {}) : (request.params ?? {});
      const result = ctx.stateless && INPUT_REQUIRED_METHODS.has(request.method)
        ? await this.multiRound(request.method, params, ctx, (p, c) => handler(p, c, catalog))
        : await handler(params, ctx, catalog);
      return resultOf(request.id, ctx.stateless ? this.statelessResult(result, session) : result);
    } catch (error) {
      const rpc = error instanceof RpcError ? error : new RpcError(RpcCode.INTERNAL_ERROR, `Internal error: ${(error as Error).message}`);
      return errorOf(request.id, rpc.toJson());
    }
  }

  /** Notifications and responses from the agent. */
  handleIncoming(session: McpSession, message: JsonRpcMessage): void {
    session.lastSeen = Date.now();
    if (isResponse(message)) {
      this.relay.deliverClientResponse(session, message);
      return;
    }
    const notification = message as JsonRpcNotification;
    const params = notification.params ?? {};
    switch (notification.method) {
      case 'notifications/initialized':
        void this.sessions.markInitialized(session).catch(() => undefined);
        return;
      case 'notifications/cancelled': {
        const requestId = params.requestId;
        const reason = typeof params.reason === 'string' ? params.reason : undefined;
        if (typeof requestId !== 'string' && typeof requestId !== 'number') return;
        // Without affinity the call may be held by the hub its POST landed on, not this one.
        if (session.inflight.has(requestId)) this.cancel(session, requestId, reason);
        else void this.sessions.cancelElsewhere(session, requestId, reason);
        return;
      }
      case 'notifications/roots/list_changed':
        // Every replica's connection open now (a server started later asks for the roots itself).
        for (const replicaId of this.replicasOf(session.groupSlug)) {
          void this.pool.live(replicaId, session.principal.userId)?.notify('notifications/roots/list_changed').catch(() => undefined);
        }
        return;
      default:
        return; // unknown notifications are ignored, as JSON-RPC requires
    }
  }

  private initialize(session: McpSession, params: Params): Record<string, unknown> {
    session.protocolVersion = negotiateVersion(params.protocolVersion);
    session.clientCapabilities = (params.capabilities as Record<string, unknown>) ?? {};
    session.clientInfo = (params.clientInfo as Record<string, unknown>) ?? {};
    return {
      protocolVersion: session.protocolVersion,
      capabilities: HUB_CAPABILITIES,
      serverInfo: this.serverInfo(session.groupSlug),
      instructions: this.instructions(session.groupSlug),
    };
  }

  /**
   * 2026-07-28: one long-lived stream per listen request carrying the group's list changes and the updates of the
   * resources named, each stamped with the request's id. Acknowledged first with what the hub will honor; ends when
   * the agent goes away. Resource subscriptions are shared upstream with every other subscriber.
   */
  private async listen(params: Params, ctx: CallContext, catalog: () => Promise<GroupCatalog>): Promise<Record<string, unknown>> {
    const requested = params.notifications as Record<string, unknown> | undefined;
    if (!requested || typeof requested !== 'object' || Array.isArray(requested)) throw invalidParams("Invalid params: 'notifications' is required (a SubscriptionFilter)");
    if (!ctx.channel.open || !ctx.channel.whenClosed) throw new RpcError(RpcCode.INVALID_REQUEST, 'subscriptions/listen streams its notifications: send Accept: text/event-stream');
    const honored: SubscriptionFilter = {};
    for (const kind of ['toolsListChanged', 'promptsListChanged', 'resourcesListChanged'] as const) if (requested[kind] === true) honored[kind] = true;
    const uris = Array.isArray(requested.resourceSubscriptions) ? requested.resourceSubscriptions.filter((u): u is string => typeof u === 'string') : [];
    const subscribed: string[] = [];
    for (const uri of uris) {
      // Only resources some member server serves (and lets the hub subscribe to) are honored.
      if (await this.subscribe({ uri }, ctx, catalog, true).then(() => true, () => false)) subscribed.push(uri);
    }
    if (uris.length) honored.resourceSubscriptions = subscribed;
    const stream = new ListenStream(ctx.session.groupSlug, ctx.requestId, honored, ctx.channel, ctx.session.principal.userId);
    stream.send({ jsonrpc: '2.0', method: 'notifications/subscriptions/acknowledged', params: { notifications: honored } });
    const remove = this.listens.add(stream);
    try {
      await ctx.channel.whenClosed();
    } finally {
      remove();
      for (const uri of subscribed) await this.subscribe({ uri }, ctx, catalog, false).catch(() => undefined);
    }
    return {};
  }

  /** 2026-07-28: what initialize used to say, asked for when the agent wants it (caching: never across groups). */
  private discover(ctx: CallContext): Record<string, unknown> {
    return {
      supportedVersions: SERVED_VERSIONS,
      capabilities: HUB_CAPABILITIES,
      serverInfo: this.serverInfo(ctx.session.groupSlug),
      instructions: this.instructions(ctx.session.groupSlug),
      ...NO_CACHE,
    };
  }

  private serverInfo(groupSlug: string) {
    return { name: `mcp-hub/${groupSlug}`, title: this.view.group(groupSlug)?.name ?? groupSlug, version: SERVER_VERSION };
  }

  private instructions(groupSlug: string): string {
    const group = this.view.group(groupSlug);
    return `Tools, resources and prompts of the MCP Hub group "${group?.name ?? groupSlug}". ${group ? namingInstructions(group.toolNaming) : ''}`.trim();
  }

  /**
   * A stateless request that may take several rounds (SEP-2322): a later round either continues a call the hub
   * holds with a 2025 server, or goes back to the 2026 server whose state it carries; a first round is watched for
   * the server's questions.
   */
  private async multiRound(method: string, params: Params, ctx: CallContext, handle: (p: Params, c: CallContext) => Promise<Record<string, unknown>>) {
    const target = InputRequiredBridge.target(method, params);
    const state = this.inputs.resume(params, ctx, target);
    if (!state) return this.inputs.run(ctx, target, () => handle(params, ctx));
    if (state.pending) return this.inputs.continue(state, params);
    const { requestState: _hubState, ...rest } = params;
    const upstreamParams = state.upstream === undefined ? rest : { ...rest, requestState: state.upstream };
    return handle(upstreamParams, { ...ctx, stateless: { ...ctx.stateless!, resumedOn: state.serverId } });
  }

  /** Every 2026-07-28 result says what it is and who answered. */
  private statelessResult(result: Record<string, unknown>, session: McpSession): Record<string, unknown> {
    const meta = (result._meta as Record<string, unknown> | undefined) ?? {};
    return { ...result, resultType: result.resultType ?? 'complete', _meta: { ...meta, [META.serverInfo]: this.serverInfo(session.groupSlug) } };
  }

  private list(catalog: GroupCatalog, kind: CatalogKind, params: Params, ctx: CallContext): Record<string, unknown> {
    const { page, nextCursor } = paginate(catalog[kind], params.cursor);
    const result: Record<string, unknown> = nextCursor ? { [kind]: page, nextCursor } : { [kind]: page };
    return ctx.stateless ? { ...result, ...catalog.cacheHints[kind] } : result;
  }

  /** A forwarded request other than tools/call, recorded in the call log (no usage). */
  private async journaled(
    ctx: CallContext,
    method: string,
    name: unknown,
    args: unknown,
    forward: (served: { serverId?: string; replicaId?: string }) => Promise<Record<string, unknown>>,
  ): Promise<Record<string, unknown>> {
    const call = this.journal.open(ctx.session.principal, this.groupIdOf(ctx), method, name, args);
    const served: { serverId?: string; replicaId?: string } = {};
    let result: Record<string, unknown>;
    try {
      result = await forward(served);
    } catch (error) {
      await this.journal.close(call, { error, serverId: served.serverId, replicaId: served.replicaId });
      throw error;
    }
    await this.journal.close(call, { result, serverId: served.serverId, replicaId: served.replicaId });
    return result;
  }

  private groupIdOf(ctx: CallContext): string | null {
    return this.view.group(ctx.session.groupSlug)?.id ?? null;
  }

  private async resourceServer(params: Params, catalog: () => Promise<GroupCatalog>): Promise<string> {
    const uri = requireString(params, 'uri');
    const serverId = (await catalog()).resourceServer(uri);
    if (!serverId) throw new UnknownNameError(`Unknown resource: ${uri}`);
    return serverId;
  }

  /** Upstream subscriptions are shared: subscribe on the first agent, unsubscribe after the last. */
  private async subscribe(params: Params, ctx: CallContext, catalog: () => Promise<GroupCatalog>, on: boolean) {
    const uri = requireString(params, 'uri');
    const serverId = await this.resourceServer(params, catalog);
    const key = this.subscriptionKey(serverId, ctx.session, uri);
    const count = this.subscriptionCounts.get(key) ?? 0;
    if (on && !ctx.session.subscriptions.has(uri)) {
      // Listening before the upstream answers: a server may send the first update right after its answer.
      ctx.session.subscriptions.add(uri);
      try {
        if (count === 0) await this.forwarder.forward(serverId, 'resources/subscribe', params, ctx);
      } catch (error) {
        ctx.session.subscriptions.delete(uri);
        throw error;
      }
      this.subscriptionCounts.set(key, (this.subscriptionCounts.get(key) ?? 0) + 1);
    } else if (!on && ctx.session.subscriptions.delete(uri)) {
      if (count <= 1) {
        this.subscriptionCounts.delete(key);
        await this.forwarder.forward(serverId, 'resources/unsubscribe', params, ctx);
      } else this.subscriptionCounts.set(key, count - 1);
    }
    return {};
  }

  private async complete(params: Params, ctx: CallContext, catalog: () => Promise<GroupCatalog>) {
    const ref = params.ref as { type?: string; name?: string; uri?: string } | undefined;
    if (ref?.type === 'ref/prompt' && typeof ref.name === 'string') {
      const route = (await catalog()).prompt(ref.name);
      if (!route) throw invalidParams(`Unknown prompt: ${ref.name}`);
      return this.forwarder.forward(route.serverId, 'completion/complete', { ...params, ref: { ...ref, name: route.name } }, ctx);
    }
    if (ref?.type === 'ref/resource' && typeof ref.uri === 'string') {
      const serverId = (await catalog()).resourceServer(ref.uri);
      if (!serverId) throw invalidParams(`Unknown resource: ${ref.uri}`);
      return this.forwarder.forward(serverId, 'completion/complete', params, ctx);
    }
    throw invalidParams('params.ref must be { type: "ref/prompt", name } or { type: "ref/resource", uri }');
  }

  /**
   * Fans out to every member server that logs, on each replica's open connection (the primary's is started if need
   * be); one failing server does not fail the call.
   */
  private async setLogLevel(params: Params, ctx: CallContext) {
    requireString(params, 'level');
    const userId = ctx.session.principal.userId;
    await Promise.all(
      this.replicasOf(ctx.session.groupSlug).map(async (replicaId) => {
        const connection = this.view.server(replicaId) ? await this.pool.connection(replicaId, userId).catch(() => undefined) : this.pool.live(replicaId, userId);
        if (connection?.capabilities.logging) await connection.request('logging/setLevel', params, this.config.gateway.requestTimeoutMs).catch(() => undefined);
      }),
    );
    return {};
  }

  /** Every replica (endpoint, the primary included) of the group's member servers. */
  private replicasOf(groupSlug: string): string[] {
    return (this.view.group(groupSlug)?.serverIds ?? []).flatMap((id) => this.view.server(id)?.replicas.map((r) => r.id) ?? []);
  }

  /**
   * Which upstream subscription a session shares: per server and URI, and per person for a PER_USER server (each
   * person subscribes on their own connection, whose updates only they hear).
   */
  private subscriptionKey(serverId: string, session: McpSession, uri: string): string {
    const person = this.pool.server(serverId)?.credentialScope === 'PER_USER' ? session.principal.userId : '';
    return `${serverId} ${person} ${uri}`;
  }

  private releaseSession(session: McpSession): void {
    for (const call of session.inflight.values()) if (call.connection && call.upstreamId !== undefined) call.connection.cancel(call.upstreamId, 'session closed');
    for (const uri of session.subscriptions) {
      for (const [key, count] of this.subscriptionCounts) {
        const serverId = key.slice(0, key.indexOf(' '));
        if (key !== this.subscriptionKey(serverId, session, uri)) continue;
        if (count > 1) this.subscriptionCounts.set(key, count - 1);
        else {
          this.subscriptionCounts.delete(key);
          // Where the subscription was made: a dual-era server's 2025 companion for a session (see the forwarder).
          void this.pool
            .connection(session.stickyReplicas.get(serverId) ?? serverId, session.principal.userId)
            .then(async (c) => ((await c.legacyCompanion?.()) ?? c).request('resources/unsubscribe', { uri }, 5_000))
            .catch(() => undefined);
        }
      }
    }
  }
}

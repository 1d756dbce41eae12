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
  type JsonRpcMessage,
  type JsonRpcNotification,
  type JsonRpcRequest,
  type JsonRpcResponse,
} from '../protocol/json-rpc.js';
import { negotiateVersion } from '../protocol/protocol-versions.js';
import type { McpSession } from '../session/mcp-session.js';
import { SessionRegistry } from '../session/session-registry.js';
import { UpstreamPool } from '../upstream/upstream-pool.js';
import type { CallContext } from './call-context.js';
import { CallJournal } from './call-journal.js';
import { paginate } from './list-pagination.js';
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


/**
 * The transport-agnostic data plane: given a session and one JSON-RPC message, resolve the target upstream
 * (namespace map → server) and forward. Reads only in-memory state; front-ends (Streamable HTTP, SSE, later the
 * stateless 2026 revision) only parse and deliver.
 */
@Injectable()
export class McpRouter implements OnApplicationBootstrap {
  private readonly subscriptionCounts = new Map<string, number>();
  private readonly handlers: Record<string, Handler> = {
    ping: async () => ({}),
    'tools/list': async (p, _c, catalog) => this.list((await catalog()).tools, 'tools', p),
    'resources/list': async (p, _c, catalog) => this.list((await catalog()).resources, 'resources', p),
    'resources/templates/list': async (p, _c, catalog) => this.list((await catalog()).resourceTemplates, 'resourceTemplates', p),
    'prompts/list': async (p, _c, catalog) => this.list((await catalog()).prompts, 'prompts', p),
    'tools/call': (p, c, catalog) => this.toolCalls.call(p, c, catalog),
    'prompts/get': (p, c, catalog) =>
      this.journaled(c, 'prompts/get', p.name, p.arguments, async (served) => {
        const route = (await catalog()).prompt(requireString(p, 'name'));
        if (!route) throw new UnknownNameError(`Unknown prompt: ${String(p.name)}`);
        served.serverId = route.serverId;
        return this.forwarder.forward(route.serverId, 'prompts/get', { ...p, name: route.name }, c, { retrySafe: true, served });
      }),
    'resources/read': (p, c, catalog) =>
      this.journaled(c, 'resources/read', p.uri, p, async (served) => {
        served.serverId = await this.resourceServer(p, catalog);
        return this.forwarder.forward(served.serverId, 'resources/read', p, c, { retrySafe: true, served });
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
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  onApplicationBootstrap() {
    this.sessions.onClose((session) => this.releaseSession(session));
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
      if (request.method === 'initialize') return resultOf(request.id, this.initialize(session, request.params ?? {}));
      const handler = this.handlers[request.method];
      if (!handler) throw new RpcError(RpcCode.METHOD_NOT_FOUND, `Method not found: ${request.method}`);
      const catalog = () => this.view.catalog(session.groupSlug);
      return resultOf(request.id, await handler(request.params ?? {}, ctx, catalog));
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
        session.initialized = true;
        return;
      case 'notifications/cancelled': {
        const call = session.inflight.get(params.requestId as string | number);
        if (call?.connection && call.upstreamId !== undefined) call.connection.cancel(call.upstreamId, params.reason as string | undefined);
        return;
      }
      case 'notifications/roots/list_changed':
        for (const serverId of this.view.group(session.groupSlug)?.serverIds ?? []) {
          void this.pool.connection(serverId).then((c) => c.notify('notifications/roots/list_changed')).catch(() => undefined);
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
    const group = this.view.group(session.groupSlug);
    return {
      protocolVersion: session.protocolVersion,
      capabilities: HUB_CAPABILITIES,
      serverInfo: { name: `mcp-hub/${session.groupSlug}`, title: group?.name ?? session.groupSlug, version: '0.1.0' },
      instructions: `Tools, resources and prompts of the MCP Hub group "${group?.name ?? session.groupSlug}". ${group ? namingInstructions(group.toolNaming) : ''}`.trim(),
    };
  }

  private list(items: unknown[], field: string, params: Params): Record<string, unknown> {
    const { page, nextCursor } = paginate(items, params.cursor);
    return nextCursor ? { [field]: page, nextCursor } : { [field]: page };
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
    const key = `${serverId} ${uri}`;
    const count = this.subscriptionCounts.get(key) ?? 0;
    if (on && !ctx.session.subscriptions.has(uri)) {
      if (count === 0) await this.forwarder.forward(serverId, 'resources/subscribe', params, ctx);
      ctx.session.subscriptions.add(uri);
      this.subscriptionCounts.set(key, count + 1);
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

  /** Fans out to every member server that logs; one failing server does not fail the call. */
  private async setLogLevel(params: Params, ctx: CallContext) {
    requireString(params, 'level');
    const group = this.view.group(ctx.session.groupSlug);
    await Promise.all(
      (group?.serverIds ?? []).map(async (serverId) => {
        const connection = await this.pool.connection(serverId).catch(() => undefined);
        if (connection?.capabilities.logging) await connection.request('logging/setLevel', params, this.config.gateway.requestTimeoutMs).catch(() => undefined);
      }),
    );
    return {};
  }

  private releaseSession(session: McpSession): void {
    for (const call of session.inflight.values()) if (call.connection && call.upstreamId !== undefined) call.connection.cancel(call.upstreamId, 'session closed');
    for (const uri of session.subscriptions) {
      for (const [key, count] of this.subscriptionCounts) {
        if (!key.endsWith(` ${uri}`)) continue;
        if (count > 1) this.subscriptionCounts.set(key, count - 1);
        else {
          this.subscriptionCounts.delete(key);
          const serverId = key.slice(0, key.indexOf(' '));
          void this.pool.connection(session.stickyReplicas.get(serverId) ?? serverId).then((c) => c.request('resources/unsubscribe', { uri }, 5_000)).catch(() => undefined);
        }
      }
    }
  }
}

import { ListenStreams } from './session/listen-streams.js';
import { InputRequiredBridge } from './router/input-rounds-for-stateless.js';
import { RequestStateSeal } from './protocol/request-state.js';
import { Module } from '@nestjs/common';
import { GroupsModule } from '#groups';
import { CallLogModule, KeysModule } from '#keys';
import { ServersModule, ToolPinningModule } from '#servers';
import { UsersModule } from '#users';
import { RoutingRulesModule } from '#routing-rules';
import { UpstreamOAuthModule } from '#upstream-oauth';
import { ApiKeyGuard } from './auth/api-key.guard.js';
import { McpHostGuard } from './auth/mcp-host.guard.js';
import { ReplicaBalancer } from './balancing/replica-balancer.js';
import { ReplicaRuntimeResolver } from './balancing/replica-runtime.resolver.js';
import { UpstreamFailureWatch } from './balancing/upstream-failure-watch.js';
import { GatewayView } from './catalog/gateway-view.service.js';
import { GatewayMetrics } from './metrics/gateway-metrics.js';
import { QuotaInterceptor } from './quota/quota.interceptor.js';
import { CallJournal } from './router/call-journal.js';
import { McpRouter } from './router/mcp-router.js';
import { ToolCallPipeline } from './router/tool-call-pipeline.js';
import { UpstreamForwarder } from './router/upstream-forwarder.js';
import { UpstreamRelay } from './router/upstream-relay.js';
import { SessionRegistry } from './session/session-registry.js';
import { SessionBus } from './session/session-bus.js';
import { SessionStore } from './session/session-store.js';
import { LegacySseController } from './transport/legacy-sse.controller.js';
import { StreamableHttpController } from './transport/streamable-http.controller.js';
import { UpstreamPool } from './upstream/upstream-pool.js';
import { ConnectionHost } from './upstream/forwarding/connection-host.js';
import { ConnectionOwners } from './upstream/forwarding/connection-owners.js';
import { ForwardedConnections } from './upstream/forwarding/forwarded-connections.js';
import { ToolPinView } from './pinning/tool-pin-view.js';

/** The data plane: agents' MCP endpoints, routing to upstream servers, quotas. Depends on domain libs only. */
@Module({
  imports: [KeysModule, CallLogModule, ServersModule, ToolPinningModule, GroupsModule, UsersModule, RoutingRulesModule, UpstreamOAuthModule],
  providers: [RequestStateSeal, ListenStreams, InputRequiredBridge, ConnectionOwners, ForwardedConnections, UpstreamPool, ConnectionHost, ReplicaBalancer, UpstreamFailureWatch, ReplicaRuntimeResolver, ToolPinView, GatewayView, SessionStore, SessionBus, SessionRegistry, UpstreamRelay, UpstreamForwarder, GatewayMetrics, CallJournal, ToolCallPipeline, McpRouter, McpHostGuard, ApiKeyGuard, QuotaInterceptor],
  controllers: [StreamableHttpController, LegacySseController],
  exports: [UpstreamPool, ReplicaBalancer, SessionRegistry],
})
export class McpGatewayModule {}

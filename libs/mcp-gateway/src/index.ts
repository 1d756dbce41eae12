export { McpGatewayModule } from './mcp-gateway.module.js';
export { UpstreamPool, type UpstreamStatus } from './upstream/upstream-pool.js';
export { SessionRegistry } from './session/session-registry.js';
export { LiveProbeModule } from './balancing/live-probe.module.js';
export { ReplicaBalancer } from './balancing/replica-balancer.js';
export { UpstreamFailureWatch } from './balancing/upstream-failure-watch.js';
export { ToolPinView } from './pinning/tool-pin-view.js';
export { mountMcpDirectRoutes } from './transport/mcp-direct-routes.js';

import { Global, Module } from '@nestjs/common';
import { LIVE_UPSTREAM_PROBE, ServerHealthModule } from '#servers';
import { McpGatewayModule } from '../mcp-gateway.module.js';
import { HubHealthReporter } from './hub-health-reporter.js';
import { PoolLiveProbe } from './live-probe.js';

/**
 * Global so the servers lib's health service can use it without depending on the gateway. With Redis the hub
 * reports its own processes' health for the worker (HubHealthReporter).
 */
@Global()
@Module({
  imports: [McpGatewayModule, ServerHealthModule],
  providers: [PoolLiveProbe, { provide: LIVE_UPSTREAM_PROBE, useExisting: PoolLiveProbe }, HubHealthReporter],
  exports: [LIVE_UPSTREAM_PROBE],
})
export class LiveProbeModule {}

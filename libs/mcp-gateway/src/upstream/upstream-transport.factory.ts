import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { createUpstreamTransport, minimalStdioEnv, type EgressGuard, type UpstreamTransportConfig } from '#servers';
import { EgressCheckedTransport } from './egress-checked.transport.js';
import { ProcessGroupStdioTransport } from './process-group-stdio.transport.js';
import { StreamableHttpUpstreamTransport } from './streamable-http-upstream.transport.js';

/**
 * The gateway's long-lived transports: stdio in its own process group (the whole tree stops with it), Streamable
 * HTTP on a node:http keep-alive pool (fetch's per-request cost dominated hub→HTTP calls); SSE as for probes.
 * URL transports connect under the egress policy; `report` sees their detailed errors (for logs).
 */
export function createGatewayTransport(
  config: UpstreamTransportConfig,
  options: { maxMessageBytes: number; egress: EgressGuard; report?: (error: unknown) => void },
): Transport {
  const { maxMessageBytes, egress, report = () => undefined } = options;
  switch (config.type) {
    case 'stdio':
      return new ProcessGroupStdioTransport({ command: config.command, args: config.args, env: minimalStdioEnv(config.env), cwd: config.cwd, maxMessageBytes });
    case 'streamable-http':
      return new EgressCheckedTransport(
        new StreamableHttpUpstreamTransport(new URL(config.url), config.headers, maxMessageBytes, egress.agentOptions(config)),
        config,
        egress,
        report,
      );
    case 'sse':
      return new EgressCheckedTransport(createUpstreamTransport(config, { maxMessageBytes, egress }), config, egress, report);
  }
}

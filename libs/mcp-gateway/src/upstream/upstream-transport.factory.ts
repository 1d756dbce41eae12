import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { createUpstreamTransport, minimalStdioEnv, type UpstreamTransportConfig } from '#servers';
import { ProcessGroupStdioTransport } from './process-group-stdio.transport.js';
import { StreamableHttpUpstreamTransport } from './streamable-http-upstream.transport.js';

/**
 * The gateway's long-lived transports: stdio in its own process group (the whole tree stops with it), Streamable
 * HTTP on a node:http keep-alive pool (fetch's per-request cost dominated hub→HTTP calls); SSE as for probes.
 */
export function createGatewayTransport(config: UpstreamTransportConfig, limits: { maxMessageBytes: number }): Transport {
  const { maxMessageBytes } = limits;
  switch (config.type) {
    case 'stdio':
      return new ProcessGroupStdioTransport({ command: config.command, args: config.args, env: minimalStdioEnv(config.env), cwd: config.cwd, maxMessageBytes });
    case 'streamable-http':
      return new StreamableHttpUpstreamTransport(new URL(config.url), config.headers, maxMessageBytes);
    case 'sse':
      return createUpstreamTransport(config, { maxMessageBytes });
  }
}

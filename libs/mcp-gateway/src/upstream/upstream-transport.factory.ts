import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { minimalStdioEnv, type UpstreamTransportConfig } from '#servers';
import { ProcessGroupStdioTransport } from './process-group-stdio.transport.js';
import { StreamableHttpUpstreamTransport } from './streamable-http-upstream.transport.js';

/** The gateway's transports: stdio in its own process group; Streamable HTTP on node:http; SSE from the SDK. */
export function createGatewayTransport(config: UpstreamTransportConfig): Transport {
  switch (config.type) {
    case 'stdio':
      return new ProcessGroupStdioTransport({
        command: config.command,
        args: config.args,
        env: minimalStdioEnv(config.env),
        cwd: config.cwd,
      });
    case 'streamable-http':
      return new StreamableHttpUpstreamTransport(new URL(config.url), config.headers);
    case 'sse':
      return new SSEClientTransport(new URL(config.url), {
        requestInit: { headers: config.headers },
        eventSourceInit: {
          fetch: (url, init) => fetch(url, { ...init, headers: { ...(init?.headers as Record<string, string>), ...config.headers } }),
        },
      });
  }
}

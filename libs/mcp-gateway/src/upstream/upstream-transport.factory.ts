import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { minimalStdioEnv, type UpstreamTransportConfig } from '#servers';
import { ProcessGroupStdioTransport } from './process-group-stdio.transport.js';

/** The gateway's transports: stdio runs in its own process group; HTTP ones come from the SDK. */
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
      return new StreamableHTTPClientTransport(new URL(config.url), { requestInit: { headers: config.headers } });
    case 'sse':
      return new SSEClientTransport(new URL(config.url), {
        requestInit: { headers: config.headers },
        eventSourceInit: {
          fetch: (url, init) => fetch(url, { ...init, headers: { ...(init?.headers as Record<string, string>), ...config.headers } }),
        },
      });
  }
}

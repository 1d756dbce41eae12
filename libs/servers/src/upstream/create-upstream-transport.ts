import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { FetchLike, Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { EgressGuard } from '../egress/egress-guard.js';
import { minimalStdioEnv } from './stdio-environment.js';
import type { UpstreamTransportConfig } from './upstream-transport-config.js';

/** Node's fetch says only "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND, a certificate error) is in `cause`. */
export const explainedFetch: FetchLike = async (url, init) => {
  try {
    return await fetch(url, init);
  } catch (error) {
    // No instanceof: fetch may come from another realm (Jest's VM contexts).
    const cause = (error as Error | undefined)?.cause as NodeJS.ErrnoException | undefined;
    if ((error as Error | undefined)?.message === 'fetch failed' && cause) throw new TypeError(`fetch failed: ${cause.code ?? cause.message}`, { cause });
    throw error;
  }
};

/**
 * An SDK client transport for the config, not yet started (Client.connect starts it). Stdio children get a minimal
 * environment and a piped stderr: read `(transport as StdioClientTransport).stderr` or the pipe may fill up.
 * With `egress`, URL transports connect only where the hub's egress policy lets the server's owner connect.
 */
export function createUpstreamTransport(config: UpstreamTransportConfig, egress?: EgressGuard): Transport {
  switch (config.type) {
    case 'stdio':
      return new StdioClientTransport({
        command: config.command,
        args: config.args,
        env: minimalStdioEnv(config.env),
        cwd: config.cwd,
        stderr: 'pipe',
      });
    case 'sse': {
      const { headers } = config;
      const fetch = egress?.fetch(config) ?? explainedFetch;
      return new SSEClientTransport(new URL(config.url), {
        requestInit: { headers },
        fetch,
        // The stream request is made by the EventSource, which does not see requestInit.
        eventSourceInit: {
          fetch: (url, init) => {
            const merged = new Headers(init.headers as ConstructorParameters<typeof Headers>[0]);
            for (const [name, value] of Object.entries(headers)) merged.set(name, value);
            return fetch(url, { ...init, headers: merged });
          },
        },
      });
    }
    case 'streamable-http':
      return new StreamableHTTPClientTransport(new URL(config.url), { requestInit: { headers: config.headers }, fetch: egress?.fetch(config) ?? explainedFetch });
  }
}

import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { FetchLike, Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { EgressGuard } from '../egress/egress-guard.js';
import { boundedBody, boundedEventStream } from './bounded-response.js';
import type { MessageTooLargeError } from './message-too-large.error.js';
import { ownSignalFetch } from './own-signal-fetch.js';
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

export interface UpstreamTransportOptions {
  /** Bound on one message from the upstream (SSE: one event; POST answers: the body). Unbounded when absent. */
  maxMessageBytes?: number;
  /** URL transports connect only where the hub's egress policy lets the server's owner connect. */
  egress?: EgressGuard;
  /** Replaces the egress policy's fetch for URL transports (it must apply the policy itself). */
  fetch?: FetchLike;
}

/**
 * An SDK client transport for the config, not yet started (Client.connect starts it). Stdio children get a minimal
 * environment and a piped stderr: read `(transport as StdioClientTransport).stderr` or the pipe may fill up.
 */
export function createUpstreamTransport(config: UpstreamTransportConfig, options: UpstreamTransportOptions = {}): Transport {
  const { egress } = options;
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
      const fetch = ownSignalFetch(options.fetch ?? egress?.fetch(config) ?? explainedFetch);
      const limit = options.maxMessageBytes;
      // An oversized event cannot be skipped inside the SDK's EventSource: report it, then drop the connection.
      const tooLarge = (error: MessageTooLargeError) => {
        transport.onerror?.(error);
        void transport.close();
      };
      const transport: SSEClientTransport = new SSEClientTransport(new URL(config.url), {
        requestInit: { headers },
        fetch: limit ? async (url, init) => boundedBody(await fetch(url, init), limit) : fetch,
        // The stream request is made by the EventSource, which does not see requestInit.
        eventSourceInit: {
          fetch: async (url, init) => {
            const merged = new Headers(init.headers as ConstructorParameters<typeof Headers>[0]);
            for (const [name, value] of Object.entries(headers)) merged.set(name, value);
            const response = await fetch(url, { ...init, headers: merged });
            return limit ? boundedEventStream(response, limit, tooLarge) : response;
          },
        },
      });
      return transport;
    }
    case 'streamable-http':
      return new StreamableHTTPClientTransport(new URL(config.url), {
        requestInit: { headers: config.headers },
        fetch: ownSignalFetch(options.fetch ?? egress?.fetch(config) ?? explainedFetch),
      });
  }
}

import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ShuttingDownError } from '#core';
import type { UpstreamTransportConfig } from '#servers';
import { SessionUpstreamConnection } from './session-upstream-connection.js';
import { NotStatelessError, StatelessUpstreamConnection } from './stateless-upstream-connection.js';
import type { HttpExchange } from './streamable-http-upstream.transport.js';
import type { UpstreamConnection, UpstreamEvents, UpstreamIdentity } from './upstream-connection.js';

/**
 * Connects in the era the server speaks. Streamable HTTP servers are asked `server/discover` first: those that
 * serve 2026-07-28 get the stateless connection, the others (any answer that is not a discover result) the 2025
 * handshake on the same transport. stdio and legacy SSE speak the 2025 era. On failure nothing is left open; an abort of
 * `stopping` closes the connection under way, which fails it (and stops a stdio child).
 */
export async function connectInEra(
  identity: UpstreamIdentity,
  config: UpstreamTransportConfig,
  newTransport: () => Transport,
  events: UpstreamEvents,
  timeoutMs: number,
  stopping?: AbortSignal,
): Promise<UpstreamConnection> {
  if (stopping?.aborted) throw new ShuttingDownError();
  const transport = newTransport();
  const exchange = transport as Partial<HttpExchange>;
  if (config.type === 'streamable-http' && typeof exchange.exchange === 'function') {
    // 2025-era agents' calls go to the server in their era when it serves that too (see legacyCompanion).
    const legacy = { create: () => new SessionUpstreamConnection(identity, newTransport(), events), timeoutMs };
    const modern = new StatelessUpstreamConnection(identity, transport as Transport & HttpExchange, events, legacy);
    try {
      await connectOrClose(modern, timeoutMs, stopping);
      return modern;
    } catch (error) {
      if (!(error instanceof NotStatelessError)) {
        await modern.close();
        throw error;
      }
    }
  }
  const legacy = new SessionUpstreamConnection(identity, transport, events);
  try {
    await connectOrClose(legacy, timeoutMs, stopping);
    return legacy;
  } catch (error) {
    await legacy.close();
    throw error;
  }
}

async function connectOrClose(connection: SessionUpstreamConnection | StatelessUpstreamConnection, timeoutMs: number, stopping?: AbortSignal): Promise<void> {
  const close = () => void connection.close();
  stopping?.addEventListener('abort', close, { once: true });
  try {
    await connection.connect(timeoutMs);
  } finally {
    stopping?.removeEventListener('abort', close);
  }
}

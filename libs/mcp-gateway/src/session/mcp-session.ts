import type { KeyPrincipal } from '#keys';
import type { JsonRpcId } from '../protocol/json-rpc.js';
import type { UpstreamConnection } from '../upstream/upstream-connection.js';
import type { MessageChannel } from './message-channel.js';

/** `stateless`: a 2026-07-28 request's own short-lived context, never registered or reused. */
export type SessionTransport = 'streamable-http' | 'sse' | 'stateless';

/** An agent's call that is waiting on an upstream: lets cancellation, progress and relays find their way. */
export interface InflightCall {
  channel: MessageChannel;
  serverId: string;
  connection?: UpstreamConnection;
  upstreamId?: number;
  startedAt: number;
}

/** One downstream MCP session. Bound to the API key that opened it and to one group. */
export class McpSession {
  protocolVersion: string;
  clientCapabilities: Record<string, unknown> = {};
  clientInfo: Record<string, unknown> = {};
  initialized = false;
  lastSeen = Date.now();
  /** Where messages not tied to a request go (Streamable HTTP GET stream; the legacy SSE stream). */
  standalone?: MessageChannel;
  readonly inflight = new Map<JsonRpcId, InflightCall>();
  readonly subscriptions = new Set<string>();
  /** Replica per server this session stays on while it holds state there (resource subscriptions). */
  readonly stickyReplicas = new Map<string, string>();
  /** With several hubs: the hub holding this legacy session's stream (SessionBus.hubId), where its answers go. */
  streamHub?: string;

  constructor(
    readonly id: string,
    readonly principal: KeyPrincipal,
    readonly groupSlug: string,
    readonly transport: SessionTransport,
    protocolVersion: string,
  ) {
    this.protocolVersion = protocolVersion;
  }

  supports(capability: 'sampling' | 'elicitation' | 'roots'): boolean {
    return this.clientCapabilities[capability] !== undefined && this.clientCapabilities[capability] !== null;
  }
}

import { RpcError, type JsonRpcId, type JsonRpcNotification, type JsonRpcRequest } from '../protocol/json-rpc.js';

/**
 * The upstream answered HTTP 401: it refused the credentials the connection carries (for an OAuth server, a token
 * revoked before its stated expiry). The request was refused, not processed.
 */
export function isTokenRefused(error: unknown): boolean {
  return error instanceof RpcError && (error.data as { httpStatus?: unknown } | undefined)?.httpStatus === 401;
}

export interface UpstreamEvents {
  /** A notification from the upstream (progress, list_changed, logging, resources/updated, …). */
  onNotification(connection: UpstreamConnection, message: JsonRpcNotification): void;
  /** A server→client request (sampling, elicitation, roots); the handler must answer via `respond`. */
  onRequest(connection: UpstreamConnection, message: JsonRpcRequest): void;
  /** The connection ended unexpectedly (crash, network); not called after `close()`. */
  onLost(connection: UpstreamConnection, reason: string): void;
}

export interface UpstreamIdentity {
  serverId: string;
  replicaId: string;
  /** What errors call it: the server slug, or `<slug>/<replica name>`. */
  slug: string;
  /** A PER_USER server's connection for this person: what it sends is for their sessions only. */
  userId?: string;
}

/** The agent a request is made for, as a 2026-07-28 upstream must be told in every request's `_meta`. */
export interface UpstreamClient {
  capabilities: Record<string, unknown>;
  /**
   * The level log notifications are wanted at: null for none (a 2026 agent that set no level); undefined for the
   * level last set with logging/setLevel on the connection (2025 agents share it, as on a 2025 connection).
   */
  logLevel?: string | null;
}

export interface UpstreamCallOptions {
  /** Called once the request left (it may have reached the upstream): gives the upstream-side id. */
  onSent?: (upstreamId: number) => void;
  /** For whom (2026 upstreams: `_meta`); without it the hub's own capabilities are declared. */
  client?: UpstreamClient;
  /** The agent session the call is for: a ONE_HUB server's holder tells its notifications to that agent through this hub. */
  sessionId?: string;
  /**
   * Notifications the upstream sends inside this request's answer (2026 upstreams: progress, log lines). Without
   * it they go to the connection's events like any other notification.
   */
  onRelated?: (message: JsonRpcNotification) => void;
}

/**
 * One live client connection to one upstream server replica, shared by every agent that uses it. Two eras:
 * the 2025-era session (`initialize`, Mcp-Session-Id; stdio, SSE and Streamable HTTP) and the 2026-07-28
 * stateless revision (per-request `_meta`, Streamable HTTP only). The pool discovers which one a server speaks.
 */
export interface UpstreamConnection {
  readonly identity: UpstreamIdentity;
  /** True for the 2026-07-28 revision: results may be InputRequiredResult, no server→client requests. */
  readonly stateless: boolean;
  /** The negotiated revision. */
  readonly protocolVersion: string;
  readonly capabilities: Record<string, unknown>;
  readonly serverInfo: Record<string, unknown>;
  readonly instructions?: string;
  readonly inFlight: number;
  readonly alive: boolean;
  /** The stdio process, while one runs. */
  readonly pid: number | undefined;
  connect(timeoutMs: number): Promise<void>;
  /** Sends a request; resolves with its result, or rejects with an RpcError naming the server. */
  request(method: string, params: Record<string, unknown> | undefined, timeoutMs: number, options?: UpstreamCallOptions): Promise<Record<string, unknown>>;
  notify(method: string, params?: Record<string, unknown>): Promise<void>;
  /** Answers a server→client request. */
  respond(id: JsonRpcId, outcome: { result: Record<string, unknown> } | { error: { code: number; message: string; data?: unknown } }): Promise<void>;
  /** Cancels an in-flight request on behalf of the agent that sent it. */
  cancel(upstreamId: number, reason?: string): void;
  close(): Promise<void>;
  /**
   * 2026 connections: the same server in the 2025 era, for 2025-era agents, when it serves that era too (its tools
   * may still push elicitation or sampling requests, which only work there); undefined for a 2026-only server,
   * whose InputRequiredResults the hub then bridges.
   */
  legacyCompanion?(): Promise<UpstreamConnection | undefined>;
}

import type { JsonRpcId, JsonRpcNotification, JsonRpcRequest } from '../../protocol/json-rpc.js';
import type { UpstreamClient } from '../upstream-connection.js';

/** An answer the way JSON-RPC carries it. */
export type Outcome = { result: Record<string, unknown> } | { error: { code: number; message: string; data?: unknown } };

/** What the owning hub knows of its live connection, for a forwarding hub to present as its own. */
export interface ConnectionInfo {
  stateless: boolean;
  protocolVersion: string;
  capabilities: Record<string, unknown>;
  serverInfo: Record<string, unknown>;
  instructions?: string;
}

/** One connection at the owner: the replica, and whose credentials fill it (the server owner, or the caller). */
export interface ConnectionRef {
  replicaId: string;
  subject: string;
}

/** One key per connection at the holder: replica and credential subject. */
export const refKey = (ref: ConnectionRef) => `${ref.replicaId}|${ref.subject}`;

/** From a hub that forwards to the hub owning a ONE_HUB server's connection. `from`: where answers go. */
export type ToOwner = ConnectionRef & { from: string } & (
    | { op: 'open'; ref: number }
    | { op: 'call'; callId: number; method: string; params?: Record<string, unknown>; timeoutMs: number; client?: UpstreamClient; related: boolean; sessionId?: string }
    | { op: 'cancel'; callId: number; reason?: string }
    | { op: 'notify'; method: string; params?: Record<string, unknown> }
    | { op: 'respond'; id: JsonRpcId; outcome: Outcome }
    /** restartServer landed on a forwarding hub: the holder restarts the replica (its processes). */
    | { op: 'restart'; ref: number }
    /** The forwarding hub no longer uses the connection (it closed its last one to it): no need to tell it of its end. */
    | { op: 'close' }
  );

/** From the owning hub back to one forwarding hub. */
export type ToForwarder =
  | { op: 'opened'; ref: number; info: ConnectionInfo }
  | { op: 'open-failed'; ref: number; error: { code: number; message: string; data?: unknown } }
  | { op: 'restarted'; ref: number }
  | { op: 'answer'; callId: number; outcome: Outcome }
  /** A notification about one forwarded call: progress (by token), or one a 2026 upstream sent inside its answer. */
  | { op: 'related'; callId: number; message: JsonRpcNotification }
  /** The upstream asks something of the agent whose forwarded call most likely caused it. */
  | ({ op: 'request'; message: JsonRpcRequest } & ConnectionRef)
  /** The upstream withdrew such a request (notifications/cancelled naming its id). */
  | ({ op: 'request-cancelled'; message: JsonRpcNotification } & ConnectionRef)
  /**
   * The owner's connection ended (crash, the owner shutting down, or it lost the lease): connect again. `resend`:
   * the calls still waiting never ran to the end there and may be sent again where that is safe.
   */
  | ({ op: 'lost'; reason: string; resend: boolean } & ConnectionRef);

/**
 * Agent sessions with a call to the server in flight when it spoke, each with the hub that holds the call. The holder
 * of the connection is the one place that sees every such call, so it decides which hub tells which agent.
 */
export type CallerHubs = Record<string, string>;

/**
 * A notification every hub hears. Each agent hears it once: from the hub of its call in flight (`callers`), else
 * from the hub holding its stream. Neither depends on what a hub has heard of where the agent's stream is.
 */
export interface EveryHubNotification {
  serverId: string;
  userId?: string;
  message: JsonRpcNotification;
  callers?: CallerHubs;
}

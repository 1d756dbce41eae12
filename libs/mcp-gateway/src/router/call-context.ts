import type { McpSession } from '../session/mcp-session.js';
import type { MessageChannel } from '../session/message-channel.js';
import type { JsonRpcId } from '../protocol/json-rpc.js';
import type { TraceSpan } from '#core';
import type { QuotaGate } from '../quota/quota-gate.js';

/**
 * What a 2026-07-28 (stateless) request says about its client in `_meta`: there is no session to remember it.
 * Absent for 2025-era sessions.
 */
export interface StatelessCall {
  /** `io.modelcontextprotocol/clientCapabilities` of this request. */
  clientCapabilities: Record<string, unknown>;
  /** `io.modelcontextprotocol/logLevel`: log notifications reach the agent only when it set one. */
  logLevel?: string;
  /** The request's `Mcp-Param-*` headers (lower-cased names), checked against annotated tool arguments. */
  paramHeaders: Record<string, string>;
  /** A later round of a 2026 server's multi-round request: goes to that server again, and is not charged again. */
  resumedOn?: string;
}

/** One agent request as the router sees it, whatever transport brought it. */
export interface CallContext {
  session: McpSession;
  requestId: JsonRpcId;
  /** Where messages related to this request go before its result. */
  channel: MessageChannel;
  /** The agent's W3C trace context header, if any: the hub's spans join that trace. */
  traceparent?: string;
  /** The span of the enclosing step, only while tracing is on. */
  span?: TraceSpan;
  /** The API key's quota when it has limits: the tool-call pipeline charges it right before forwarding. */
  quota?: QuotaGate;
  /** Set for 2026-07-28 requests: no server→client requests on the channel; input comes back as inputResponses. */
  stateless?: StatelessCall;
}

import type { McpSession } from '../session/mcp-session.js';
import type { MessageChannel } from '../session/message-channel.js';
import type { JsonRpcId } from '../protocol/json-rpc.js';
import type { TraceSpan } from '#core';

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
}

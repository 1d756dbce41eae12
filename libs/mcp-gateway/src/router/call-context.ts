import type { McpSession } from '../session/mcp-session.js';
import type { MessageChannel } from '../session/message-channel.js';
import type { JsonRpcId } from '../protocol/json-rpc.js';

/** One agent request as the router sees it, whatever transport brought it. */
export interface CallContext {
  session: McpSession;
  requestId: JsonRpcId;
  /** Where messages related to this request go before its result. */
  channel: MessageChannel;
}

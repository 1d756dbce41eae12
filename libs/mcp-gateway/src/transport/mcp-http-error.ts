import { RpcCode, type JsonRpcId } from '../protocol/json-rpc.js';

/** An HTTP-level refusal on an MCP endpoint; the filter renders it as a JSON-RPC error body. */
export class McpHttpError extends Error {
  constructor(
    readonly status: number,
    readonly rpcCode: number,
    message: string,
    readonly headers: Record<string, string> = {},
    /** The request's id when known; else the filter uses the id of the body it parsed, if any. */
    readonly id: JsonRpcId | null = null,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

export const badRequest = (message: string, code: number = RpcCode.INVALID_REQUEST) => new McpHttpError(400, code, message);

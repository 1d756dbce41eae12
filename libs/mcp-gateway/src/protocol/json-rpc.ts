/** JSON-RPC 2.0 as MCP uses it. Messages pass through the hub as plain objects so unknown fields survive. */
export type JsonRpcId = string | number;

export interface JsonRpcRequest {
  jsonrpc: '2.0';
  id: JsonRpcId;
  method: string;
  params?: Record<string, unknown>;
}
export interface JsonRpcNotification {
  jsonrpc: '2.0';
  method: string;
  params?: Record<string, unknown>;
}
export interface JsonRpcError {
  code: number;
  message: string;
  data?: unknown;
}
export interface JsonRpcResponse {
  jsonrpc: '2.0';
  id: JsonRpcId | null;
  result?: Record<string, unknown>;
  error?: JsonRpcError;
}
export type JsonRpcMessage = JsonRpcRequest | JsonRpcNotification | JsonRpcResponse;

export const RpcCode = {
  PARSE_ERROR: -32700,
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  INVALID_PARAMS: -32602,
  INTERNAL_ERROR: -32603,
  /** Implementation-defined server errors (-32000..-32099). */
  UPSTREAM_UNAVAILABLE: -32001,
  UPSTREAM_TIMEOUT: -32002,
  /** Refused by the hub's policy (a routing rule). */
  FORBIDDEN: -32003,
  /** The caller has no credential for a `${NAME}` the server needs; the message says which and where to set it. */
  CREDENTIAL_MISSING: -32004,
  RATE_LIMITED: -32029,
  /** An upstream's answer (or an agent's request) is over UPSTREAM_MAX_MESSAGE_BYTES. */
  UPSTREAM_MESSAGE_TOO_LARGE: -32010,
  /** The quota store (Redis) cannot answer and the hub refuses quota-limited calls meanwhile. */
  QUOTA_STORE_UNAVAILABLE: -32030,
  REQUEST_CANCELLED: -32800,
  /** 2026-07-28: HTTP headers (MCP-Protocol-Version, Mcp-Method, Mcp-Name) do not match the body. */
  HEADER_MISMATCH: -32020,
  /** 2026-07-28: the request needs a client capability its `_meta` did not declare. */
  MISSING_CLIENT_CAPABILITY: -32021,
  /** 2026-07-28: the requested protocol version is not served here. */
  UNSUPPORTED_PROTOCOL_VERSION: -32022,
} as const;

export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
  toJson(): JsonRpcError {
    return this.data === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, data: this.data };
  }
}

/** No tool, prompt or resource of that name in the group (INVALID_PARAMS on the wire; NOT_FOUND in the call log). */
export class UnknownNameError extends RpcError {
  constructor(message: string) {
    super(RpcCode.INVALID_PARAMS, message);
  }
}

export const isRequest = (m: JsonRpcMessage): m is JsonRpcRequest => 'method' in m && 'id' in m && m.id !== undefined;
export const isNotification = (m: JsonRpcMessage): m is JsonRpcNotification => 'method' in m && !('id' in m);
export const isResponse = (m: JsonRpcMessage): m is JsonRpcResponse => !('method' in m) && ('result' in m || 'error' in m);

export const resultOf = (id: JsonRpcId, result: Record<string, unknown>): JsonRpcResponse => ({ jsonrpc: '2.0', id, result });
export const errorOf = (id: JsonRpcId | null, error: JsonRpcError): JsonRpcResponse => ({ jsonrpc: '2.0', id, error });

/** Structural check of one incoming message; returns a reason when it is not valid JSON-RPC 2.0. */
export function invalidMessageReason(value: unknown): string | null {
  if (Array.isArray(value)) return 'JSON-RPC batches are not supported (removed in MCP 2025-06-18): send one message per request';
  if (typeof value !== 'object' || value === null) return 'a JSON-RPC message must be a JSON object';
  const m = value as Record<string, unknown>;
  if (m.jsonrpc !== '2.0') return 'jsonrpc must be "2.0"';
  if ('id' in m && typeof m.id !== 'string' && typeof m.id !== 'number') return 'id must be a string or a number';
  if ('method' in m) {
    if (typeof m.method !== 'string' || !m.method) return 'method must be a non-empty string';
    if ('params' in m && m.params !== undefined && (typeof m.params !== 'object' || m.params === null || Array.isArray(m.params)))
      return 'params must be an object';
    return null;
  }
  if (!('id' in m) || !('result' in m || 'error' in m)) return 'a message needs a method (request/notification) or a result/error (response)';
  return null;
}

export const invalidParams = (message: string) => new RpcError(RpcCode.INVALID_PARAMS, message);

/** A required non-empty string parameter, or INVALID_PARAMS naming it. */
export function requireString(params: Record<string, unknown>, field: string): string {
  const value = params[field];
  if (typeof value !== 'string' || !value) throw invalidParams(`params.${field} must be a non-empty string`);
  return value;
}

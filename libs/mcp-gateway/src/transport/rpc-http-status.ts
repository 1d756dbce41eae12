import { RpcCode, type JsonRpcResponse } from '../protocol/json-rpc.js';

/** Errors the 2026-07-28 revision answers with an HTTP status of their own (SEP-2575); the rest are HTTP 200. */
const STATELESS_STATUS: Record<number, number> = {
  [RpcCode.METHOD_NOT_FOUND]: 404,
  [RpcCode.HEADER_MISMATCH]: 400,
  [RpcCode.MISSING_CLIENT_CAPABILITY]: 400,
  [RpcCode.UNSUPPORTED_PROTOCOL_VERSION]: 400,
};

/**
 * The HTTP status and headers of a JSON response on /mcp/{group}: over quota is 429 (503 when the quota store
 * cannot answer) with Retry-After in both eras; the stateless revision maps its own errors too.
 */
export function httpStatusOf(response: JsonRpcResponse, stateless: boolean): { status: number; headers: Record<string, string> } {
  const error = response.error;
  if (!error) return { status: 200, headers: {} };
  if (error.code === RpcCode.RATE_LIMITED || error.code === RpcCode.QUOTA_STORE_UNAVAILABLE) {
    const retryAfter = (error.data as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
    return {
      status: error.code === RpcCode.RATE_LIMITED ? 429 : 503,
      headers: typeof retryAfter === 'number' ? { 'retry-after': String(retryAfter) } : {},
    };
  }
  return { status: (stateless && STATELESS_STATUS[error.code]) || 200, headers: {} };
}

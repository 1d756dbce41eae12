import { RpcCode, RpcError } from '../protocol/json-rpc.js';

/** How a tool call ended, as the `outcome` label says it (a fixed set: label values must stay bounded). */
export type CallOutcome = 'ok' | 'tool_error' | 'upstream_error' | 'unavailable' | 'timeout' | 'too_large' | 'denied' | 'cancelled' | 'error';

const BY_CODE: Record<number, CallOutcome> = {
  [RpcCode.UPSTREAM_UNAVAILABLE]: 'unavailable',
  [RpcCode.UPSTREAM_TIMEOUT]: 'timeout',
  [RpcCode.UPSTREAM_MESSAGE_TOO_LARGE]: 'too_large',
  [RpcCode.FORBIDDEN]: 'denied',
  [RpcCode.REQUEST_CANCELLED]: 'cancelled',
  [RpcCode.INTERNAL_ERROR]: 'error',
};

/** A failed call's outcome: the hub's own codes by name; any other JSON-RPC error was the upstream's answer. */
export function outcomeOf(error: unknown): CallOutcome {
  if (!(error instanceof RpcError)) return 'error';
  return BY_CODE[error.code] ?? 'upstream_error';
}

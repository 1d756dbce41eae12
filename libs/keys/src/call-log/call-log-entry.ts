/** How an agent's call ended, as the call log records it. */
export enum CallOutcome {
  /** The upstream answered with a result. */
  OK = 'OK',
  /** The upstream answered with a result marked `isError` (the tool ran and reported a failure). */
  TOOL_ERROR = 'TOOL_ERROR',
  /** The upstream answered with a JSON-RPC error. */
  UPSTREAM_ERROR = 'UPSTREAM_ERROR',
  /** No replica of the server could be reached. */
  UNAVAILABLE = 'UNAVAILABLE',
  TIMEOUT = 'TIMEOUT',
  /** The upstream's answer was over UPSTREAM_MAX_MESSAGE_BYTES. */
  TOO_LARGE = 'TOO_LARGE',
  CANCELLED = 'CANCELLED',
  /** Refused by the key's per-minute or per-day quota (or because the quota store could not be asked). */
  QUOTA_REFUSED = 'QUOTA_REFUSED',
  /** Refused by a routing rule of the group. */
  RULE_DENIED = 'RULE_DENIED',
  /** No such tool, prompt or resource in the group. */
  NOT_FOUND = 'NOT_FOUND',
  /** The request itself was malformed (missing name...). */
  INVALID_REQUEST = 'INVALID_REQUEST',
  /** The hub failed unexpectedly. */
  HUB_ERROR = 'HUB_ERROR',
}

/** One agent call as the call log keeps it. Built on the call path from memory only; written in batches. */
export interface CallLogEntry {
  /** Epoch milliseconds when the hub received the call. */
  at: number;
  keyId: string;
  /** The key's owner: whose call it is for visibility. */
  userId: string;
  groupId: string | null;
  serverId: string | null;
  replicaId: string | null;
  /** tools/call, resources/read or prompts/get. */
  method: string;
  /** The tool or prompt name as the agent sent it (namespaced), or the resource URI. */
  name: string | null;
  outcome: CallOutcome;
  latencyMs: number;
  /** Bounded and scrubbed of credentials. */
  error: string | null;
  correlationId: string | null;
  /** Only during a DEBUG capture: redacted JSON, truncated to CAPTURE_MAX_BYTES. */
  arguments: string | null;
  result: string | null;
}

/** Longest error text kept per entry. */
export const ERROR_MAX_BYTES = 1_024;
/** Longest captured arguments or result kept per entry. */
export const CAPTURE_MAX_BYTES = 8 * 1_024;

/** A cheap upper bound of an entry's size in memory or in Redis, for the buffers' byte limits. */
export function entryBytes(entry: CallLogEntry): number {
  return 400 + (entry.name?.length ?? 0) + (entry.error?.length ?? 0) + (entry.arguments?.length ?? 0) + (entry.result?.length ?? 0);
}

/**
 * Checks a replica through the connection agents actually use. Provided by the MCP gateway in processes that
 * hold upstream connections (the hub); absent in a standalone worker, which records what the hubs running a stdio
 * replica report (HubHealthReports) and probes remote ones with a fresh connection.
 */
export interface LiveUpstreamProbe {
  /** null when this process does not hold the replica (the caller falls back to a fresh probe); gives up on `signal`. */
  ping(replicaId: string, timeoutMs: number, signal?: AbortSignal): Promise<{ ok: boolean; error?: string } | null>;
}

export const LIVE_UPSTREAM_PROBE = Symbol('LIVE_UPSTREAM_PROBE');

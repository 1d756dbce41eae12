/** One call as the router reports it. */
export interface CallRecord {
  keyId: string;
  serverId: string;
  serverSlug: string;
  tool: string;
  ok: boolean;
  latencyMs: number;
}

/** Calls aggregated per key, server, tool and hour: the shape of a usage_hourly row. */
export interface UsageRow {
  keyId: string;
  serverId: string;
  serverSlug: string;
  tool: string;
  hour: Date;
  calls: number;
  errors: number;
  totalLatencyMs: number;
  maxLatencyMs: number;
}

export const HOUR_MS = 3_600_000;

export const hourOf = (now: number): number => Math.floor(now / HOUR_MS) * HOUR_MS;

/** Identity of a row; the tool goes last because tool names may contain the separator. */
export const rowKey = (keyId: string, serverId: string, hour: number, tool: string): string => `${keyId}|${serverId}|${hour}|${tool}`;

export function parseRowKey(id: string): { keyId: string; serverId: string; hour: number; tool: string } | null {
  const [keyId, serverId, hour] = id.split('|', 3);
  if (keyId === undefined || serverId === undefined || hour === undefined) return null;
  const tool = id.slice(keyId.length + serverId.length + hour.length + 3);
  const ms = Number(hour);
  return Number.isFinite(ms) ? { keyId, serverId, hour: ms, tool } : null;
}

export function rowOf(call: CallRecord, now: number): UsageRow {
  return {
    keyId: call.keyId,
    serverId: call.serverId,
    serverSlug: call.serverSlug,
    tool: call.tool,
    hour: new Date(hourOf(now)),
    calls: 1,
    errors: call.ok ? 0 : 1,
    totalLatencyMs: call.latencyMs,
    maxLatencyMs: call.latencyMs,
  };
}

/** Adds `row` into `into` (same identity): counts add up, the maximum is kept, the latest slug wins. */
export function mergeRow(into: UsageRow, row: UsageRow): void {
  into.calls += row.calls;
  into.errors += row.errors;
  into.totalLatencyMs += row.totalLatencyMs;
  into.maxLatencyMs = Math.max(into.maxLatencyMs, row.maxLatencyMs);
  into.serverSlug = row.serverSlug;
}

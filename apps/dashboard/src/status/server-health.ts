/** How the overview sums a server up from its replicas' latest health checks. */
export type ServerState = 'UP' | 'DEGRADED' | 'DOWN' | 'UNKNOWN';
export type HealthStatus = 'HEALTHY' | 'DEGRADED' | 'DOWN';

export interface ReplicaCheck {
  replicaId: string;
  status: HealthStatus;
  error: string | null;
  checkedAt: string;
}

export interface ServerForHealth {
  id: string;
  enabled: boolean;
  replicas: { id: string; enabled: boolean }[];
  health: ReplicaCheck[];
}

export interface ServerHealthSummary {
  state: ServerState;
  /** Why it is not up: the first failing replica's error, "disabled", "not checked yet". */
  reason: string | null;
  /** The newest check considered. */
  checkedAt: string | null;
}

/**
 * A server is as healthy as the replicas it routes to (its own transport, id = server id, plus enabled replicas):
 * UP when every checked replica is healthy, DOWN when every one is down, DEGRADED in between, UNKNOWN when none has
 * been checked (or the server is disabled, so none is).
 */
export function summarize(server: ServerForHealth, live: ReadonlyMap<string, ReplicaCheck>): ServerHealthSummary {
  if (!server.enabled) return { state: 'UNKNOWN', reason: 'Disabled', checkedAt: null };
  const active = [server.id, ...server.replicas.filter((r) => r.enabled).map((r) => r.id)];
  const checks = active.map((id) => newest(server.health.find((h) => h.replicaId === id), live.get(id))).filter((c): c is ReplicaCheck => !!c);
  if (!checks.length) return { state: 'UNKNOWN', reason: 'Not checked yet', checkedAt: null };
  const checkedAt = checks.map((c) => c.checkedAt).sort().at(-1)!;
  const failing = checks.find((c) => c.status !== 'HEALTHY');
  const state: ServerState = checks.every((c) => c.status === 'HEALTHY') ? 'UP' : checks.every((c) => c.status === 'DOWN') ? 'DOWN' : 'DEGRADED';
  return { state, reason: failing ? (failing.error ?? (failing.status === 'DEGRADED' ? 'Slow to answer' : 'Not answering')) : null, checkedAt };
}

function newest(a: ReplicaCheck | undefined, b: ReplicaCheck | undefined): ReplicaCheck | undefined {
  if (!a || !b) return a ?? b;
  return Date.parse(b.checkedAt) >= Date.parse(a.checkedAt) ? b : a;
}

export const STATE_ORDER: ServerState[] = ['DOWN', 'DEGRADED', 'UNKNOWN', 'UP'];

export const STATE_LABELS: Record<ServerState, string> = { UP: 'Up', DEGRADED: 'Degraded', DOWN: 'Down', UNKNOWN: 'Unknown' };

import { useSubscription } from 'urql';
import { graphql } from '../graphql/graphql';

export type CheckStatus = 'HEALTHY' | 'DEGRADED' | 'DOWN';
export type HealthState = CheckStatus | 'UNKNOWN';

/** The newest known status of one replica: from the server's last checks or a live transition. */
export interface ReplicaStatus {
  replicaId: string;
  status: CheckStatus;
  at: string;
  error: string | null;
}

const StatusChangedSubscription = graphql(`
  subscription ServerStatusChanged($serverId: ID) {
    serverStatusChanged(serverId: $serverId) { serverId replicaId replicaName from to error at }
  }
`);

/**
 * Health transitions as they happen (of one server, or of every server the person can see), newest per replica.
 * The hub sends only changes, so this is laid over the statuses the page loaded.
 */
export function useLiveHealth(serverId?: string): Record<string, ReplicaStatus> {
  const [result] = useSubscription(
    { query: StatusChangedSubscription, variables: { serverId: serverId ?? null } },
    (previous: Record<string, ReplicaStatus> = {}, data) => {
      const change = data.serverStatusChanged;
      return { ...previous, [change.replicaId]: { replicaId: change.replicaId, status: change.to, at: change.at, error: change.error } };
    },
  );
  return result.data ?? {};
}

/** Per replica, the newer of the loaded check and the live transition. Only the server's current replicas count. */
export function currentStatuses(
  replicaIds: string[],
  checks: { replicaId: string; status: CheckStatus; checkedAt: string; error?: string | null }[],
  live: Record<string, ReplicaStatus>,
): Map<string, ReplicaStatus> {
  const statuses = new Map<string, ReplicaStatus>();
  for (const id of replicaIds) {
    const check = checks.find((c) => c.replicaId === id);
    const loaded = check ? { replicaId: id, status: check.status, at: check.checkedAt, error: check.error ?? null } : undefined;
    const pushed = live[id];
    const newest = !loaded ? pushed : !pushed ? loaded : Date.parse(pushed.at) >= Date.parse(loaded.at) ? pushed : loaded;
    if (newest) statuses.set(id, newest);
  }
  return statuses;
}

/** HEALTHY when every replica is, DOWN when every replica is, DEGRADED in between; UNKNOWN before any check. */
export function overallHealth(replicaIds: string[], statuses: Map<string, ReplicaStatus>): HealthState {
  const known = replicaIds.map((id) => statuses.get(id)?.status).filter((s): s is CheckStatus => !!s);
  if (!known.length) return 'UNKNOWN';
  if (known.every((s) => s === 'HEALTHY')) return 'HEALTHY';
  if (known.every((s) => s === 'DOWN')) return 'DOWN';
  return 'DEGRADED';
}

import { Injectable, Optional, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigChangeBus } from '#core';
import type { ResolvedReplica, ResolvedServer } from '#servers';
import { UpstreamPool } from '../upstream/upstream-pool.js';
import { CircuitBreaker } from './circuit-breaker.js';

const NONE_TRIED: ReadonlySet<string> = new Set();

/**
 * Chooses the replica for each call: the lowest priority tier that has an available replica (circuit not open,
 * not backing off after a crash), then the server's strategy within the tier. Weighted choice is smooth weighted
 * round-robin (as in nginx): deterministic, exact shares, no bursts.
 */
@Injectable()
export class ReplicaBalancer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly breakers = new Map<string, CircuitBreaker>();
  private readonly cursors = new Map<string, number>();
  private readonly currentWeights = new Map<string, number>();
  /** Replicas whose latest health check (from any process) said DOWN. */
  private readonly reportedDown = new Set<string>();
  private unsubscribe?: () => void;

  constructor(
    private readonly pool: UpstreamPool,
    @Optional() private readonly bus?: ConfigChangeBus,
  ) {}

  onApplicationBootstrap() {
    this.unsubscribe = this.bus?.subscribe((change) => {
      if (change.kind !== 'server-health') return;
      if (change.detail?.to === 'DOWN') this.reportedDown.add(change.id);
      else this.reportedDown.delete(change.id);
    });
  }

  onApplicationShutdown() {
    this.unsubscribe?.();
  }

  breaker(replicaId: string): CircuitBreaker {
    let breaker = this.breakers.get(replicaId);
    if (!breaker) this.breakers.set(replicaId, (breaker = new CircuitBreaker()));
    return breaker;
  }

  /** The replica to try next, skipping `tried`; undefined when none is available. */
  pick(server: ResolvedServer, tried: ReadonlySet<string> = NONE_TRIED): ResolvedReplica | undefined {
    if (server.replicas.length === 1) {
      // The common case, without the allocations of the general path.
      const only = server.replicas[0];
      return !tried.has(only.id) && this.breaker(only.id).available && this.pool.reachable(only.id) ? only : undefined;
    }
    const usable = server.replicas.filter((r) => !tried.has(r.id) && this.breaker(r.id).available && this.pool.reachable(r.id));
    // Health reports can be stale: prefer replicas not reported DOWN, but never refuse the last usable ones.
    const healthy = usable.filter((r) => !this.reportedDown.has(r.id));
    const candidates = healthy.length ? healthy : usable;
    if (!candidates.length) return undefined;
    const tier = Math.min(...candidates.map((r) => r.priority));
    const inTier = candidates.filter((r) => r.priority === tier);
    if (inTier.length === 1) return inTier[0];
    switch (server.loadBalancing) {
      case 'WEIGHTED':
        return this.smoothWeighted(server.id, inTier);
      case 'LEAST_IN_FLIGHT': {
        const load = (r: ResolvedReplica) => this.pool.status(r.id)?.inFlight ?? 0;
        const least = Math.min(...inTier.map(load));
        return this.roundRobin(server.id, inTier.filter((r) => load(r) === least));
      }
      default:
        return this.roundRobin(server.id, inTier);
    }
  }

  private roundRobin(serverId: string, replicas: ResolvedReplica[]): ResolvedReplica {
    const cursor = this.cursors.get(serverId) ?? 0;
    this.cursors.set(serverId, cursor + 1);
    return replicas[cursor % replicas.length];
  }

  private smoothWeighted(serverId: string, replicas: ResolvedReplica[]): ResolvedReplica {
    let total = 0;
    let best: ResolvedReplica | undefined;
    let bestWeight = -Infinity;
    for (const replica of replicas) {
      const key = `${serverId}:${replica.id}`;
      const current = (this.currentWeights.get(key) ?? 0) + replica.weight;
      this.currentWeights.set(key, current);
      total += replica.weight;
      if (current > bestWeight) {
        bestWeight = current;
        best = replica;
      }
    }
    const key = `${serverId}:${best!.id}`;
    this.currentWeights.set(key, this.currentWeights.get(key)! - total);
    return best!;
  }
}

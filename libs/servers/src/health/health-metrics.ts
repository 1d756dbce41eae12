import { Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { METRIC_PREFIX, MetricsRegistry } from '#core';
import { HealthStatus } from './replica-health-check.entity.js';

interface ReplicaLabels {
  server: string;
  replica: string;
}

/**
 * Latest health-check status per replica, as seen by the process that runs the checks (the worker; the hub in
 * embedded mode): one series per status, 1 for the current one.
 */
@Injectable()
export class HealthMetrics {
  private readonly status: Gauge<'server' | 'replica' | 'status'>;
  private readonly known = new Map<string, ReplicaLabels>();

  constructor(private readonly metrics: MetricsRegistry) {
    this.status = new Gauge({
      name: `${METRIC_PREFIX}upstream_health_status`,
      help: 'Latest health check of each replica: 1 for its current status (HEALTHY, DEGRADED, DOWN)',
      labelNames: ['server', 'replica', 'status'],
      registers: [metrics.registry],
    });
  }

  record(replicaId: string, labels: ReplicaLabels, current: HealthStatus): void {
    if (!this.metrics.enabled) return;
    const before = this.known.get(replicaId);
    if (before && (before.server !== labels.server || before.replica !== labels.replica)) this.forget(replicaId);
    this.known.set(replicaId, labels);
    for (const status of Object.values(HealthStatus)) this.status.set({ ...labels, status }, status === current ? 1 : 0);
  }

  /** The replica is gone: its series go too. */
  forget(replicaId: string): void {
    const labels = this.known.get(replicaId);
    if (!labels) return;
    this.known.delete(replicaId);
    for (const status of Object.values(HealthStatus)) this.status.remove({ ...labels, status });
  }
}

import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { PINO, type Logger } from '#core';
import { HubHealthReports, type HubHealthReport } from '#servers';
import { UpstreamPool } from '../upstream/upstream-pool.js';
import { PoolLiveProbe } from './live-probe.js';

/** How often due replicas are looked for; each one is pinged once per its server's health-check interval. */
const TICK_MS = 1_000;
const PING_TIMEOUT_MS = 10_000;

/**
 * Production mode: this hub checks the stdio processes it runs, through the connection its agents use, once per
 * health-check interval, and publishes the outcome (a crash at once) for the worker's health checks, which record
 * it instead of starting a copy of the program. Replicas this hub never started are not its to report.
 */
@Injectable()
export class HubHealthReporter implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly hubId = randomUUID();
  /** Replicas this hub reports: when it last reported each, whether it reported a crash, and the server's interval. */
  private readonly reported = new Map<string, { at: number; crashed?: boolean; intervalMs: number }>();
  private readonly pinging = new Set<string>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly pool: UpstreamPool,
    private readonly probe: PoolLiveProbe,
    private readonly reports: HubHealthReports,
    @Inject(PINO) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.reports.enabled) return;
    this.pool.onConnectionLost((replicaId, reason) => {
      const known = this.reported.get(replicaId);
      if (!known || this.pool.status(replicaId)?.connected) return;
      known.crashed = true;
      void this.publish(replicaId, { ok: false, error: `the process ended (${reason})`, at: Date.now() }, known.intervalMs);
    });
    this.timer = setInterval(() => this.tick(), TICK_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all([...this.reported.keys()].map((id) => this.reports.withdraw(id, this.hubId).catch(() => undefined)));
  }

  private tick(): void {
    const now = Date.now();
    const held = new Set<string>();
    for (const { replicaId, serverId } of this.pool.snapshot()) {
      const server = this.pool.server(serverId);
      if (server?.replicas.find((r) => r.id === replicaId)?.transport.type !== 'stdio') continue;
      const status = this.pool.status(replicaId);
      if (!status) continue;
      // Running, or crashed and not yet back: this hub's process to report. Never started here, or run by another
      // hub (ONE_HUB): not this hub's.
      if ((!status.connected && !status.lastError) || status.forwarded) continue;
      held.add(replicaId);
      const intervalMs = server.healthCheckIntervalSeconds * 1000;
      const last = this.reported.get(replicaId);
      // Back after a crash: said at once, not an interval later (the worker would keep recording DOWN meanwhile).
      const due = !last || now - last.at >= intervalMs || (last.crashed && status.connected);
      if (this.pinging.has(replicaId) || !due) continue;
      if (status.connected) {
        void this.ping(replicaId, intervalMs);
      } else {
        // Not pinged: that would start it again, which is the pool's business (its restart backoff), not a check's.
        this.reported.set(replicaId, { at: now, crashed: last?.crashed, intervalMs });
        void this.publish(replicaId, { ok: false, error: status.lastError ?? 'not running', at: now }, intervalMs);
      }
    }
    for (const replicaId of this.reported.keys()) {
      if (held.has(replicaId) || this.pinging.has(replicaId)) continue;
      this.reported.delete(replicaId);
      void this.reports.withdraw(replicaId, this.hubId).catch(() => undefined);
    }
  }

  private async ping(replicaId: string, intervalMs: number): Promise<void> {
    this.pinging.add(replicaId);
    this.reported.set(replicaId, { at: Date.now(), intervalMs });
    try {
      const started = performance.now();
      const outcome = await this.probe.ping(replicaId, PING_TIMEOUT_MS);
      if (!outcome) return;
      const latencyMs = Math.round(performance.now() - started);
      await this.publish(replicaId, { ...outcome, ...(outcome.ok ? { latencyMs } : {}), at: Date.now() }, intervalMs);
    } finally {
      this.pinging.delete(replicaId);
    }
  }

  private async publish(replicaId: string, report: HubHealthReport, intervalMs: number): Promise<void> {
    // Kept a little longer than a reader trusts it (two intervals), then gone with its hub.
    await this.reports.publish(replicaId, this.hubId, report, 3 * intervalMs).catch((error: Error) => this.logger.warn({ replicaId, err: error.message }, 'health report not published'));
  }
}

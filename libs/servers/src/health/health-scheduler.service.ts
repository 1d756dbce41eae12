import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigChangeBus, JobName, JobsService, PINO, ScheduleReconciler, type Logger } from '#core';
import { ServersService } from '../servers.service.js';

export const healthSchedulerId = (replicaId: string) => `health:${replicaId}`;

/**
 * Keeps one recurring health-check job per enabled replica (stable scheduler ids, so every hub replica can run
 * this and BullMQ still holds one schedule each), following server changes.
 */
@Injectable()
export class HealthScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private scheduled = new Map<string, string>();
  private unsubscribe?: () => void;
  private syncing: Promise<void> = Promise.resolve();

  constructor(
    private readonly servers: ServersService,
    private readonly jobs: JobsService,
    private readonly bus: ConfigChangeBus,
    @Inject(PINO) private readonly logger: Logger,
    private readonly reconciler: ScheduleReconciler,
  ) {}

  async onApplicationBootstrap() {
    this.unsubscribe = this.bus.subscribe((change) => {
      if (change.kind === 'server') void this.sync();
    });
    // Reconciling re-reads the servers too, which also heals a server change whose pub/sub message was missed.
    this.reconciler.register('health-checks', () => this.sync(true));
    await this.sync();
  }

  onApplicationShutdown() {
    this.unsubscribe?.();
  }

  /** `force` re-upserts every schedule, not only changed ones (Redis may have lost them). */
  sync(force = false): Promise<void> {
    this.syncing = this.syncing.then(() => this.apply(force)).catch((error: Error) => this.logger.error({ err: error.message }, 'health schedule sync failed'));
    return this.syncing;
  }

  private async apply(force: boolean): Promise<void> {
    const next = new Map<string, string>();
    for (const server of await this.servers.resolveAll()) {
      if (!server.enabled) continue;
      for (const replica of server.replicas) {
        const signature = `${server.healthCheckIntervalSeconds}`;
        next.set(replica.id, signature);
        if (!force && this.scheduled.get(replica.id) === signature) continue;
        await this.jobs.schedule(healthSchedulerId(replica.id), JobName.HEALTH_CHECK, server.healthCheckIntervalSeconds * 1000, {
          serverId: server.id,
          replicaId: replica.id,
        });
      }
    }
    for (const replicaId of this.scheduled.keys()) {
      if (!next.has(replicaId)) await this.jobs.unschedule(healthSchedulerId(replicaId), JobName.HEALTH_CHECK);
    }
    this.scheduled = next;
  }
}

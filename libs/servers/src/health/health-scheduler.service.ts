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
  /** replicaId → its server and the interval it is scheduled with. */
  private scheduled = new Map<string, { serverId: string; signature: string }>();
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
      // One server changed: only its replicas are read (and its secrets opened) again; `*` (a restore): all.
      if (change.kind === 'server') void this.sync(false, change.id === '*' ? undefined : [change.id]);
    });
    // Reconciling re-reads the servers too, which also heals a server change whose pub/sub message was missed.
    this.reconciler.register('health-checks', () => this.sync(true));
    await this.sync();
  }

  onApplicationShutdown() {
    this.unsubscribe?.();
  }

  /** `force` re-upserts every schedule, not only changed ones (Redis may have lost them); `serverIds`: only these servers'. */
  sync(force = false, serverIds?: string[]): Promise<void> {
    this.syncing = this.syncing.then(() => this.apply(force, serverIds)).catch((error: Error) => this.logger.error({ err: error.message }, 'health schedule sync failed'));
    return this.syncing;
  }

  private async apply(force: boolean, serverIds?: string[]): Promise<void> {
    const inScope = (serverId: string) => !serverIds || serverIds.includes(serverId);
    const next = new Map<string, { serverId: string; signature: string }>();
    for (const server of serverIds ? await this.servers.resolveMany(serverIds) : await this.servers.resolveAll()) {
      if (!server.enabled) continue;
      for (const replica of server.replicas) {
        const signature = `${server.healthCheckIntervalSeconds}`;
        next.set(replica.id, { serverId: server.id, signature });
        if (!force && this.scheduled.get(replica.id)?.signature === signature) continue;
        await this.jobs.schedule(healthSchedulerId(replica.id), JobName.HEALTH_CHECK, server.healthCheckIntervalSeconds * 1000, {
          serverId: server.id,
          replicaId: replica.id,
        });
      }
    }
    for (const [replicaId, { serverId }] of this.scheduled) {
      if (!inScope(serverId) || next.has(replicaId)) continue;
      await this.jobs.unschedule(healthSchedulerId(replicaId), JobName.HEALTH_CHECK);
      this.scheduled.delete(replicaId);
    }
    for (const [replicaId, entry] of next) this.scheduled.set(replicaId, entry);
  }
}

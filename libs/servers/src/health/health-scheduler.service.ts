import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigChangeBus, JobName, JobsService, PINO, type Logger } from '#core';
import { ServersService } from '../servers.service.js';

const schedulerId = (replicaId: string) => `health:${replicaId}`;

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
  ) {}

  async onApplicationBootstrap() {
    this.unsubscribe = this.bus.subscribe((change) => {
      if (change.kind === 'server') void this.sync();
    });
    await this.sync();
  }

  onApplicationShutdown() {
    this.unsubscribe?.();
  }

  sync(): Promise<void> {
    this.syncing = this.syncing.then(() => this.apply()).catch((error: Error) => this.logger.error({ err: error.message }, 'health schedule sync failed'));
    return this.syncing;
  }

  private async apply(): Promise<void> {
    const next = new Map<string, string>();
    for (const server of await this.servers.resolveAll()) {
      if (!server.enabled) continue;
      for (const replica of server.replicas) {
        const signature = `${server.healthCheckIntervalSeconds}`;
        next.set(replica.id, signature);
        if (this.scheduled.get(replica.id) === signature) continue;
        await this.jobs.schedule(schedulerId(replica.id), JobName.HEALTH_CHECK, server.healthCheckIntervalSeconds * 1000, {
          serverId: server.id,
          replicaId: replica.id,
        });
      }
    }
    for (const replicaId of this.scheduled.keys()) {
      if (!next.has(replicaId)) await this.jobs.unschedule(schedulerId(replicaId), JobName.HEALTH_CHECK);
    }
    this.scheduled = next;
  }
}

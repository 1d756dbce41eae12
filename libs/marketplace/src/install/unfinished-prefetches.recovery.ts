import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { HUB_CONFIG, PINO, type HubConfig, type Logger } from '#core';
import { ServerInstallationsService } from './server-installations.service.js';

/**
 * At most this many unfinished pre-fetches are queued at one start (oldest first; the in-process runner runs them at
 * once, an npm each); the rest stay queued until a later start.
 */
export const PREFETCHES_RECOVERED_PER_START = 20;

/**
 * Embedded mode keeps queued jobs in memory: pre-fetches that were queued or under way when the hub stopped (or
 * crashed) are queued again at start, so none stays "downloading" forever. With Redis, BullMQ keeps the jobs.
 */
@Injectable()
export class UnfinishedPrefetchesRecovery implements OnApplicationBootstrap {
  constructor(
    private readonly installations: ServerInstallationsService,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    @Inject(PINO) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap() {
    if (this.config.redisUrl) return;
    const unfinished = await this.installations.unfinished(PREFETCHES_RECOVERED_PER_START);
    for (const { serverId } of unfinished) await this.installations.start(serverId);
    if (unfinished.length) this.logger.info({ prefetches: unfinished.length }, 'unfinished npm package pre-fetches queued again');
  }
}

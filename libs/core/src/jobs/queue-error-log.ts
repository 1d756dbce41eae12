import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { PINO } from '../logging/logging.module.js';
import { OutageLog } from '../redis/outage-log.js';
import { REDIS } from '../redis/redis.module.js';
import { QueueName } from './job-names.js';

/**
 * Without an 'error' listener BullMQ prints every failed reconnect to stderr for as long as Redis is down.
 * Log the outage once per queue instead; the queues keep reconnecting by themselves.
 */
@Injectable()
export class QueueErrorLog implements OnModuleInit {
  constructor(
    private readonly moduleRef: ModuleRef,
    @Inject(PINO) private readonly logger: Logger,
    @Inject(REDIS) private readonly redis: Redis | null,
  ) {}

  onModuleInit() {
    const outages = Object.values(QueueName).map((name) => {
      const queue = this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
      const outage = new OutageLog(this.logger, `Redis for job queue "${name}"`);
      queue.on('error', (error: Error) => outage.failed(error));
      return outage;
    });
    // The queues reconnect on their own connections; the shared client coming back is a good enough sign. One
    // listener for all: one per queue put the shared client past Node's 10 listeners, a warning at every boot.
    this.redis?.on('ready', () => outages.forEach((outage) => outage.recovered()));
  }
}

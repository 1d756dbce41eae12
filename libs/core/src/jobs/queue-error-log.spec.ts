import { describe, expect, it } from '@jest/globals';
import type { ModuleRef } from '@nestjs/core';
import type { Redis } from 'ioredis';
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { QueueName } from './job-names.js';
import { QueueErrorLog } from './queue-error-log.js';

describe(QueueErrorLog.name, () => {
  it('should log each queue\'s outage once and its end, with one listener on the shared client', () => {
    const queues = new Map(Object.values(QueueName).map((name) => [name, new EventEmitter()]));
    const moduleRef = { get: (token: string) => queues.get(String(token).replace(/^BullQueue_/, '') as QueueName) } as unknown as ModuleRef;
    const lines: string[] = [];
    const logger = { warn: (_: unknown, message: string) => lines.push(message), info: (message: string) => lines.push(message) } as unknown as Logger;
    const redis = new EventEmitter();
    new QueueErrorLog(moduleRef, logger, redis as unknown as Redis).onModuleInit();
    // (Past 10 listeners on the shared client, Node warns of a leak at every boot.)
    expect(redis.listenerCount('ready')).toBe(1);
    for (const queue of queues.values()) for (let i = 0; i < 2; i++) queue.emit('error', new Error('ECONNREFUSED'));
    redis.emit('ready');
    expect(lines.filter((l) => l.endsWith('unavailable'))).toHaveLength(queues.size);
    expect(lines.filter((l) => l.endsWith('available again'))).toHaveLength(queues.size);
    expect(lines).toContain('Redis for job queue "marketplace" available again');
  });
});

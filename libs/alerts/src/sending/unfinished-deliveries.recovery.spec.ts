import { describe, expect, it } from '@jest/globals';
import type { HubConfig, Logger } from '#core';
import type { NotificationDeliveriesRepository } from '../deliveries/notification-deliveries.repository.js';
import type { AlertDispatcher } from '../dispatch/alert-dispatcher.service.js';
import { RECOVERED_PER_START, UnfinishedDeliveriesRecovery } from './unfinished-deliveries.recovery.js';

describe(UnfinishedDeliveriesRecovery.name, () => {
  const unfinished = [
    { id: 'd1', channelId: 'c1' },
    { id: 'd2', channelId: 'c1' },
  ];
  const setup = (redisUrl?: string) => {
    const queued: string[] = [];
    const limits: number[] = [];
    const deliveries = { unfinished: async (limit: number) => (limits.push(limit), unfinished) } as unknown as NotificationDeliveriesRepository;
    const dispatcher = { enqueue: async (d: { id: string }) => (queued.push(d.id), true) } as unknown as AlertDispatcher;
    const logger = { info: () => undefined } as unknown as Logger;
    return { queued, limits, recovery: new UnfinishedDeliveriesRecovery(deliveries, dispatcher, { redisUrl } as HubConfig, logger) };
  };

  it('should queue unfinished deliveries again when an embedded hub starts', async () => {
    const { queued, limits, recovery } = setup();
    await recovery.onApplicationBootstrap();
    expect(queued).toEqual(['d1', 'd2']);
    expect(limits).toEqual([RECOVERED_PER_START]);
  });

  it('should leave them to BullMQ with Redis', async () => {
    const { queued, recovery } = setup('redis://127.0.0.1:6379');
    await recovery.onApplicationBootstrap();
    expect(queued).toEqual([]);
  });
});

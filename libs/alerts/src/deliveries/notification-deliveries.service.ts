import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { validate } from '#core';
import { Permission, type Actor } from '#auth';
import { NotificationChannelsService } from '../channels/notification-channels.service.js';
import { decodeCursor, encodeCursor } from './delivery-cursor.js';
import type { NotificationDelivery } from './notification-delivery.entity.js';
import { NotificationDeliveriesRepository } from './notification-deliveries.repository.js';

const pageSchema = z.strictObject({
  first: z.number().int('must be a whole number').min(1, 'must be between 1 and 100').max(100, 'must be between 1 and 100').default(20),
  after: z.string().max(200, 'is not a cursor returned by notificationDeliveries (endCursor)').optional(),
});

export interface DeliveryPage {
  nodes: NotificationDelivery[];
  endCursor: string | null;
  hasNextPage: boolean;
}

/** The delivery log of a channel, newest first, for its owner. */
@Injectable()
export class NotificationDeliveriesService {
  constructor(
    private readonly channels: NotificationChannelsService,
    private readonly deliveries: NotificationDeliveriesRepository,
  ) {}

  async page(viewer: Actor, channelId: string, page: { first?: number; after?: string }): Promise<DeliveryPage> {
    const { first, after } = validate(pageSchema, page);
    const channel = await this.channels.get(viewer, channelId, 'channelId', Permission.CHANNEL_READ);
    const rows = await this.deliveries.page(channel.id, first, after ? decodeCursor(after) : undefined);
    const nodes = rows.slice(0, first);
    const last = nodes.at(-1);
    return { nodes, endCursor: last ? encodeCursor(last) : null, hasNextPage: rows.length > first };
  }
}

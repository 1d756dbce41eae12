import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type Repository } from 'typeorm';
import { DeliveryStatus } from '../alert-types.js';
import type { DeliveryPosition } from './delivery-cursor.js';
import { NotificationDelivery } from './notification-delivery.entity.js';

/** Deliveries kept per channel; older ones are deleted as new ones are logged. */
export const DELIVERIES_KEPT_PER_CHANNEL = 1_000;

export type AttemptRecord = Pick<NotificationDelivery, 'status' | 'attempts' | 'responseStatus' | 'error' | 'lastAttemptAt' | 'completedAt'>;

/** Every query on notification_deliveries. */
@Injectable()
export class NotificationDeliveriesRepository {
  constructor(@InjectRepository(NotificationDelivery) private readonly deliveries: Repository<NotificationDelivery>) {}

  insert(fields: Pick<NotificationDelivery, 'channelId' | 'eventType' | 'event'>): Promise<NotificationDelivery> {
    // Millisecond precision, like the cursor that will carry it.
    return this.deliveries.save(this.deliveries.create({ ...fields, createdAt: new Date() }));
  }

  /** With the channel and its owner, as the sender needs them. */
  findForSending(id: string): Promise<NotificationDelivery | null> {
    return this.deliveries.findOne({ where: { id }, relations: { channel: { owner: true } } });
  }

  /** Deliveries not finished yet, oldest first. */
  unfinished(limit: number): Promise<Pick<NotificationDelivery, 'id' | 'channelId'>[]> {
    return this.deliveries.find({
      select: { id: true, channelId: true },
      where: { status: In([DeliveryStatus.PENDING, DeliveryStatus.RETRYING]) },
      order: { createdAt: 'ASC', id: 'ASC' },
      take: limit,
    });
  }

  async record(id: string, attempt: Partial<AttemptRecord>): Promise<void> {
    await this.deliveries.update({ id }, attempt);
  }

  /** Newest first, `first` + 1 rows so the caller knows whether there is a next page. */
  page(channelId: string, first: number, after?: DeliveryPosition): Promise<NotificationDelivery[]> {
    const query = this.deliveries
      .createQueryBuilder('d')
      .where('d.channel_id = :channelId', { channelId })
      .orderBy('d.created_at', 'DESC')
      .addOrderBy('d.id', 'DESC')
      .limit(first + 1);
    if (after) query.andWhere('(d.created_at, d.id) < (:createdAt, :id)', { createdAt: after.createdAt, id: after.id });
    return query.getMany();
  }

  async prune(channelId: string): Promise<void> {
    await this.deliveries.query(
      `DELETE FROM notification_deliveries WHERE channel_id = $1 AND id NOT IN
         (SELECT id FROM notification_deliveries WHERE channel_id = $1 ORDER BY created_at DESC, id DESC LIMIT ${DELIVERIES_KEPT_PER_CHANNEL})`,
      [channelId],
    );
  }
}

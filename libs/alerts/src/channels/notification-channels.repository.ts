import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import type { NotificationEventType } from '../alert-types.js';
import { NotificationChannel } from './notification-channel.entity.js';

/** Every query on notification_channels. */
@Injectable()
export class NotificationChannelsRepository {
  constructor(@InjectRepository(NotificationChannel) private readonly channels: Repository<NotificationChannel>) {}

  list(where: { ownerId: string }): Promise<NotificationChannel[]> {
    return this.channels.find({ where, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  countOwnedBy(ownerId: string): Promise<number> {
    return this.channels.countBy({ ownerId });
  }

  findById(id: string): Promise<NotificationChannel | null> {
    return this.channels.findOneBy({ id });
  }

  /** Enabled channels subscribed to the event type, with their owners (who decides what they may receive). */
  findSubscribed(type: NotificationEventType): Promise<NotificationChannel[]> {
    return this.channels
      .createQueryBuilder('c')
      .innerJoinAndSelect('c.owner', 'owner')
      .where('c.enabled = true')
      .andWhere('owner.disabled = false')
      .andWhere(':type::notification_event_type = ANY(c.events)', { type })
      .getMany();
  }

  create(fields: Partial<NotificationChannel>): NotificationChannel {
    return this.channels.create(fields);
  }

  save(channel: NotificationChannel): Promise<NotificationChannel> {
    return this.channels.save(channel);
  }

  async remove(id: string): Promise<void> {
    // In a transaction: the audit entry of the removal commits with it.
    await this.channels.manager.transaction((manager) => manager.delete(NotificationChannel, { id }));
  }
}

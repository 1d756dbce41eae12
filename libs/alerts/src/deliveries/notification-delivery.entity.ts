import { Audited } from '#auth';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { DeliveryStatus } from '../alert-types.js';
import { NotificationChannel } from '../channels/notification-channel.entity.js';
import type { AlertEvent } from '../dispatch/alert-event.js';

/** One notification to one channel, and what happened to it: the delivery log its owner reads. */
@Audited({ omit: true })
@Entity('notification_deliveries')
@Index(['channelId', 'createdAt', 'id'])
export class NotificationDelivery {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'channel_id', type: 'uuid' })
  channelId!: string;

  @ManyToOne(() => NotificationChannel, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'channel_id' })
  channel?: Relation<NotificationChannel>;

  /** A NotificationEventType, or TEST. */
  @Column({ name: 'event_type', type: 'text' })
  eventType!: string;

  /** The event as sent (no secrets): retries send the same event id and data. */
  @Column({ type: 'jsonb' })
  event!: AlertEvent;

  @Column({ type: 'enum', enum: DeliveryStatus, enumName: 'notification_delivery_status', default: DeliveryStatus.PENDING })
  status!: DeliveryStatus;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ name: 'response_status', type: 'integer', nullable: true })
  responseStatus!: number | null;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  /** Set in code with millisecond precision, so the pagination cursor (which carries it) compares exactly. */
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'last_attempt_at', type: 'timestamptz', nullable: true })
  lastAttemptAt!: Date | null;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt!: Date | null;
}

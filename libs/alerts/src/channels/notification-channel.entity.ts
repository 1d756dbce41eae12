import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn, type Relation } from 'typeorm';
import { User } from '#users';
import { NotificationChannelKind, NotificationEventType, WebhookFormat } from '../alert-types.js';

/**
 * Where a user wants to hear about events. The URL and the signing secret are sealed with SecretBox (contexts
 * `notification-channel:<id>:url|secret`): a Slack or Teams webhook URL is itself a credential.
 */
@Entity('notification_channels')
export class NotificationChannel {
  /** Generated in code: it is part of the sealing context. */
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index()
  @Column({ name: 'owner_id', type: 'uuid' })
  ownerId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'owner_id' })
  owner?: Relation<User>;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'enum', enum: NotificationChannelKind, enumName: 'notification_channel_kind', default: NotificationChannelKind.WEBHOOK })
  kind!: NotificationChannelKind;

  @Column({ type: 'enum', enum: WebhookFormat, enumName: 'webhook_format', default: WebhookFormat.GENERIC })
  format!: WebhookFormat;

  @Column({ name: 'sealed_url', type: 'text' })
  sealedUrl!: string;

  /** Scheme and host of the URL, kept in clear so the API can show where a channel points without the secret path. */
  @Column({ name: 'url_origin', type: 'text' })
  urlOrigin!: string;

  @Column({ name: 'sealed_secret', type: 'text' })
  sealedSecret!: string;

  @Column({ type: 'enum', enum: NotificationEventType, enumName: 'notification_event_type', array: true })
  events!: NotificationEventType[];

  @Column({ type: 'boolean', default: true })
  enabled!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

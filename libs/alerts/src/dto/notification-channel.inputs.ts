import { Field, InputType } from '@nestjs/graphql';
import { NotificationChannelKind, NotificationEventType, WebhookFormat } from '../alert-types.js';

@InputType()
export class CreateNotificationChannelInput {
  @Field(() => String) name!: string;
  @Field(() => NotificationChannelKind, { nullable: true, description: 'Default WEBHOOK' }) kind?: NotificationChannelKind | null;
  @Field(() => WebhookFormat, { nullable: true, description: 'Default GENERIC' }) format?: WebhookFormat | null;
  @Field(() => String, { description: 'http(s) URL; members may use public destinations and hosts admins allow (UPSTREAM_ALLOWED_HOSTS)' })
  url!: string;
  @Field(() => [NotificationEventType]) events!: NotificationEventType[];
  @Field(() => Boolean, { nullable: true, description: 'Default true' }) enabled?: boolean | null;
}

@InputType()
export class UpdateNotificationChannelInput {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => WebhookFormat, { nullable: true }) format?: WebhookFormat | null;
  @Field(() => String, { nullable: true }) url?: string | null;
  @Field(() => [NotificationEventType], { nullable: true }) events?: NotificationEventType[] | null;
  @Field(() => Boolean, { nullable: true }) enabled?: boolean | null;
}

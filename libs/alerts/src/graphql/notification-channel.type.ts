import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { NotificationChannelKind, NotificationEventType, WebhookFormat } from '../alert-types.js';

registerEnumType(NotificationChannelKind, { name: 'NotificationChannelKind' });
registerEnumType(WebhookFormat, { name: 'WebhookFormat', description: 'GENERIC: the hub\'s JSON; SLACK, TEAMS: incoming-webhook messages' });
registerEnumType(NotificationEventType, { name: 'NotificationEventType' });

@ObjectType('NotificationChannel')
export class NotificationChannelType {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => NotificationChannelKind) kind!: NotificationChannelKind;
  @Field(() => WebhookFormat) format!: WebhookFormat;
  @Field(() => String, { description: 'Scheme and host of the webhook URL; the path (a credential for Slack and Teams) is never shown' })
  urlOrigin!: string;
  @Field(() => [NotificationEventType]) events!: NotificationEventType[];
  @Field(() => Boolean) enabled!: boolean;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date) updatedAt!: Date;
}

@ObjectType('CreatedNotificationChannel')
export class CreatedNotificationChannelType {
  @Field(() => String, {
    description: 'Key of the X-Hub-Signature-256 HMAC (t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>">). Shown only in this response; store it now.',
  })
  secret!: string;
  @Field(() => NotificationChannelType) channel!: NotificationChannelType;
}

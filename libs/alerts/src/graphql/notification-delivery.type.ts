import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { DeliveryStatus } from '../alert-types.js';

registerEnumType(DeliveryStatus, { name: 'NotificationDeliveryStatus' });

@ObjectType('NotificationDelivery')
export class NotificationDeliveryType {
  @Field(() => ID) id!: string;
  @Field(() => ID) channelId!: string;
  @Field(() => String, { description: 'A NotificationEventType, or TEST' }) eventType!: string;
  @Field(() => ID, { description: 'The event id the receiver got (the same in every attempt)' }) eventId!: string;
  @Field(() => String) summary!: string;
  @Field(() => DeliveryStatus) status!: DeliveryStatus;
  @Field(() => Int) attempts!: number;
  @Field(() => Int, { nullable: true, description: 'HTTP status of the last answer' }) responseStatus!: number | null;
  @Field(() => String, { nullable: true, description: 'Why the last attempt failed' }) error!: string | null;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date, { nullable: true }) lastAttemptAt!: Date | null;
  @Field(() => Date, { nullable: true, description: 'When it succeeded or was given up' }) completedAt!: Date | null;
}

@ObjectType('NotificationDeliveryPage')
export class NotificationDeliveryPageType {
  @Field(() => [NotificationDeliveryType], { description: 'Newest first' }) nodes!: NotificationDeliveryType[];
  @Field(() => String, { nullable: true, description: 'Pass as `after` for the next page' }) endCursor!: string | null;
  @Field(() => Boolean) hasNextPage!: boolean;
}

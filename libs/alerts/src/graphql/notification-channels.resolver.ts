import { Args, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Authorize, CurrentActor, Permission, type Actor } from '#auth';
import { NotificationChannelsService } from '../channels/notification-channels.service.js';
import type { NotificationDelivery } from '../deliveries/notification-delivery.entity.js';
import { NotificationDeliveriesService } from '../deliveries/notification-deliveries.service.js';
import { CreateNotificationChannelInput, UpdateNotificationChannelInput } from '../dto/notification-channel.inputs.js';
import { CreatedNotificationChannelType, NotificationChannelType } from './notification-channel.type.js';
import { NotificationDeliveryPageType, NotificationDeliveryType } from './notification-delivery.type.js';

/** GraphQL leaves null for absent optional arguments: drop them so defaults and "unchanged" apply. */
const defined = <T extends object>(input: T) => Object.fromEntries(Object.entries(input).filter(([, v]) => v !== null && v !== undefined));

@Resolver(() => NotificationChannelType)
export class NotificationChannelsResolver {
  constructor(
    private readonly channels: NotificationChannelsService,
    private readonly deliveries: NotificationDeliveriesService,
  ) {}

  @Authorize(Permission.CHANNEL_READ)
  @Query(() => [NotificationChannelType], { description: 'Your notification channels' })
  notificationChannels(@CurrentActor() user: Actor) {
    return this.channels.list(user);
  }

  @Authorize(Permission.CHANNEL_READ)
  @Query(() => NotificationChannelType, { description: 'One of your channels (admins: anyone\'s)' })
  notificationChannel(@CurrentActor() user: Actor, @Args('id', { type: () => ID }) id: string) {
    return this.channels.get(user, id, 'id', Permission.CHANNEL_READ);
  }

  @Authorize(Permission.CHANNEL_CREATE)
  @Mutation(() => CreatedNotificationChannelType, { description: 'The signing secret is in this response only' })
  createNotificationChannel(@CurrentActor() user: Actor, @Args('input', { type: () => CreateNotificationChannelInput }) input: CreateNotificationChannelInput) {
    return this.channels.create(user, defined(input) as never);
  }

  @Authorize(Permission.CHANNEL_MANAGE)
  @Mutation(() => NotificationChannelType)
  updateNotificationChannel(
    @CurrentActor() user: Actor,
    @Args('id', { type: () => ID }) id: string,
    @Args('input', { type: () => UpdateNotificationChannelInput }) input: UpdateNotificationChannelInput,
  ) {
    return this.channels.update(user, id, defined(input));
  }

  @Authorize(Permission.CHANNEL_MANAGE)
  @Mutation(() => Boolean)
  deleteNotificationChannel(@CurrentActor() user: Actor, @Args('id', { type: () => ID }) id: string) {
    return this.channels.remove(user, id);
  }

  @Authorize(Permission.CHANNEL_MANAGE)
  @Mutation(() => NotificationDeliveryType, { description: 'Queues a TEST notification (also to a disabled channel); follow it in notificationDeliveries' })
  testNotificationChannel(@CurrentActor() user: Actor, @Args('id', { type: () => ID }) id: string) {
    return this.channels.test(user, id);
  }

  @Authorize(Permission.CHANNEL_READ)
  @Query(() => NotificationDeliveryPageType, { description: "A channel's delivery log, newest first (first <= 100, default 20)" })
  notificationDeliveries(
    @CurrentActor() user: Actor,
    @Args('channelId', { type: () => ID }) channelId: string,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { type: () => String, nullable: true }) after?: string,
  ) {
    return this.deliveries.page(user, channelId, { first: first ?? undefined, after: after ?? undefined });
  }
}

@Resolver(() => NotificationDeliveryType)
export class NotificationDeliveryFieldsResolver {
  @ResolveField(() => ID)
  eventId(@Parent() delivery: NotificationDelivery) {
    return delivery.event.id;
  }

  @ResolveField(() => String)
  summary(@Parent() delivery: NotificationDelivery) {
    return delivery.event.summary;
  }
}

import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiKey } from '#keys';
import { ServersModule } from '#servers';
import { UsersModule } from '#users';
import { ChannelSecrets } from './channels/channel-secrets.js';
import { NotificationChannel } from './channels/notification-channel.entity.js';
import { NotificationChannelsRepository } from './channels/notification-channels.repository.js';
import { NotificationChannelsService } from './channels/notification-channels.service.js';
import { NotificationDelivery } from './deliveries/notification-delivery.entity.js';
import { NotificationDeliveriesRepository } from './deliveries/notification-deliveries.repository.js';
import { NotificationDeliveriesService } from './deliveries/notification-deliveries.service.js';
import { AlertDispatcher } from './dispatch/alert-dispatcher.service.js';
import { AlertEventListener } from './dispatch/alert-event.listener.js';
import { AlertOnce } from './dispatch/alert-once.js';
import { AlertSubjects } from './dispatch/alert-subjects.js';
import { NotificationChannelsResolver, NotificationDeliveryFieldsResolver } from './graphql/notification-channels.resolver.js';
import { AlertDeliveryProcessor } from './sending/alert-delivery.processor.js';
import { DeliveryRunner } from './sending/delivery-runner.service.js';
import { UnfinishedDeliveriesRecovery } from './sending/unfinished-deliveries.recovery.js';
import { WebhookSender } from './sending/webhook-sender.js';

/**
 * Channels, deliveries and the event listener: every process that detects events (the hub: quotas, upstream
 * failures, health in embedded mode; the worker: health checks) imports it. Nothing else depends on alerts:
 * events reach it over the config bus.
 */
@Module({
  imports: [TypeOrmModule.forFeature([NotificationChannel, NotificationDelivery, ApiKey]), ServersModule, UsersModule],
  providers: [NotificationChannelsRepository, NotificationDeliveriesRepository, ChannelSecrets, AlertOnce, AlertSubjects, AlertDispatcher, AlertEventListener],
  exports: [NotificationChannelsRepository, NotificationDeliveriesRepository, ChannelSecrets, AlertDispatcher],
})
export class AlertsModule {}

/** The admin API (hub only). */
@Module({
  imports: [AlertsModule, ServersModule, UsersModule],
  providers: [NotificationChannelsService, NotificationDeliveriesService, NotificationChannelsResolver, NotificationDeliveryFieldsResolver],
})
export class AlertsApiModule {}

/** Sends deliveries (the worker; the hub in embedded mode). */
@Module({
  imports: [AlertsModule, ServersModule],
  providers: [WebhookSender, DeliveryRunner, AlertDeliveryProcessor, UnfinishedDeliveriesRecovery],
})
export class AlertsProcessorsModule {}

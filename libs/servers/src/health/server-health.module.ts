import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UsersModule } from '#users';
import { ServersModule } from '../servers.module.js';
import { HealthMetrics } from './health-metrics.js';
import { HealthScheduler } from './health-scheduler.service.js';
import { HealthProcessor } from './health.processor.js';
import { HubHealthReports } from './hub-health-reports.js';
import { ReplicaHealthCheck } from './replica-health-check.entity.js';
import { ServerHealthLoader } from './server-health.loader.js';
import { ServerHealthService } from './server-health.service.js';
import { HEALTH_PUBSUB, HealthEventsRelay, HealthResolver } from './health.resolver.js';
import { PubSub } from 'graphql-subscriptions';

/** Health state and history (any process that reads or records it). */
@Module({
  imports: [TypeOrmModule.forFeature([ReplicaHealthCheck]), ServersModule, UsersModule],
  providers: [ServerHealthService, HealthMetrics, HubHealthReports],
  exports: [ServerHealthService, HubHealthReports],
})
export class ServerHealthModule {}

/** The admin API for health (hub only): fields, history and the serverStatusChanged subscription. */
@Module({
  imports: [ServerHealthModule, ServersModule, UsersModule],
  providers: [HealthResolver, ServerHealthLoader, HealthEventsRelay, { provide: HEALTH_PUBSUB, useFactory: () => new PubSub() }],
})
export class ServerHealthApiModule {}

/** Runs health checks (the worker; the hub in embedded mode) and keeps their schedules. */
@Module({ imports: [ServerHealthModule, ServersModule], providers: [HealthProcessor, HealthScheduler] })
export class ServerHealthProcessorsModule {}

import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PubSub } from 'graphql-subscriptions';
import { AuditModule } from '#auth';
import { UsersModule } from '#users';
import { ServersModule } from '../servers.module.js';
import { TOOL_DRIFT_PUBSUB, ToolDriftEventsRelay, ToolPinsResolver } from './graphql/tool-pins.resolver.js';
import { ToolDriftsLoader } from './graphql/tool-drifts.loader.js';
import { ToolPin } from './tool-pin.entity.js';
import { ToolPinsRepository } from './tool-pins.repository.js';
import { ToolPinsService } from './tool-pins.service.js';

/** Tool pinning's storage and API (the gateway keeps the approved hashes in memory and reports what it sees). */
@Module({
  imports: [TypeOrmModule.forFeature([ToolPin]), UsersModule, ServersModule, AuditModule],
  providers: [ToolPinsRepository, ToolPinsService, ToolDriftsLoader, ToolPinsResolver, ToolDriftEventsRelay, { provide: TOOL_DRIFT_PUBSUB, useFactory: () => new PubSub() }],
  exports: [ToolPinsService],
})
export class ToolPinningModule {}

import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { GroupsModule } from '#groups';
import { ApiKey } from '../api-key.entity.js';
import { KeysModule } from '../keys.module.js';
import { UsageMoverModule } from '../usage/usage-mover.module.js';
import { CallLogRepository } from './call-log.repository.js';
import { CallLogService } from './call-log.service.js';
import { CallCapture } from './capture/call-capture.entity.js';
import { CallCaptureRegistry } from './capture/call-capture.registry.js';
import { CallCaptureService } from './capture/call-capture.service.js';
import { CallLogExportController } from './export/call-log-export.controller.js';
import { CallCaptureResolver } from './graphql/call-capture.resolver.js';
import { CallLogResolver } from './graphql/call-log.resolver.js';

/**
 * The agent call log: reading it (GraphQL, export, analytics) and the DEBUG capture switches. Entries are
 * recorded by UsageRecorder (KeysModule), in the same step as usage; the gateway asks CallCaptureRegistry per call.
 */
@Module({
  imports: [TypeOrmModule.forFeature([CallCapture, ApiKey]), KeysModule, GroupsModule, UsageMoverModule],
  providers: [CallLogRepository, CallLogService, CallLogResolver, CallCaptureRegistry, CallCaptureService, CallCaptureResolver],
  controllers: [CallLogExportController],
  exports: [CallCaptureRegistry],
})
export class CallLogModule {}

import { Module, type DynamicModule } from '@nestjs/common';
import {
  ConfigModule,
  CryptoModule,
  DatabaseModule,
  EventsModule,
  JobsModule,
  LoggingModule,
  RedisModule,
  SystemProcessorsModule,
  type HubConfig,
} from '#core';
import { ServerHealthProcessorsModule } from '#servers';
import { UsageProcessorsModule } from '#keys';

/** The background worker: BullMQ processors only, no HTTP. Needs Redis; the hub applies migrations. */
@Module({})
export class WorkerModule {
  static forRoot(config: HubConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule,
        CryptoModule,
        RedisModule,
        EventsModule,
        DatabaseModule.forRoot({ runMigrations: false }),
        JobsModule.forRoot(config, { processes: true }),
        SystemProcessorsModule,
        ServerHealthProcessorsModule,
        UsageProcessorsModule,
      ],
    };
  }
}

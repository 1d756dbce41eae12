import { Module, type DynamicModule } from '@nestjs/common';
import {
  ConfigModule,
  CryptoModule,
  DatabaseModule,
  JobsModule,
  LoggingModule,
  RedisModule,
  SystemProcessorsModule,
  type HubConfig,
} from '#core';

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
        DatabaseModule.forRoot({ runMigrations: false }),
        JobsModule.forRoot(config, { processes: true }),
        SystemProcessorsModule,
      ],
    };
  }
}

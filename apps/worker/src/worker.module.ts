import { Module, type DynamicModule } from '@nestjs/common';
import {
  ClockModule,
  ConfigModule,
  CryptoModule,
  DatabaseModule,
  EventsModule,
  JobsModule,
  LoggingModule,
  RedisModule,
  SystemProcessorsModule,
  type HubConfig,
  type JobsModuleOptions,
} from '#core';
import { ServerHealthProcessorsModule } from '#servers';
import { CallLogProcessorsModule, UsageProcessorsModule } from '#keys';

/** The background worker: BullMQ processors only, no HTTP. Needs Redis; the hub applies migrations. */
@Module({})
export class WorkerModule {
  /** `jobs` overrides job options (tests shorten the reconcile period). */
  static forRoot(config: HubConfig, jobs: Partial<JobsModuleOptions> = {}): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        ClockModule,
        LoggingModule,
        CryptoModule,
        RedisModule,
        EventsModule,
        DatabaseModule.forRoot({ runMigrations: false }),
        JobsModule.forRoot(config, { ...jobs, processes: true }),
        SystemProcessorsModule,
        ServerHealthProcessorsModule,
        UsageProcessorsModule,
        CallLogProcessorsModule,
      ],
    };
  }
}

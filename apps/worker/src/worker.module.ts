import { Module, type DynamicModule } from '@nestjs/common';
import {
  ClockModule,
  ConfigModule,
  CryptoModule,
  DatabaseModule,
  EventsModule,
  JobsModule,
  KeyRotationProcessorsModule,
  KeyringModule,
  LoggingModule,
  MetricsModule,
  RedisModule,
  SystemProcessorsModule,
  type HubConfig,
  type JobsModuleOptions,
} from '#core';
import { ServerHealthProcessorsModule } from '#servers';
import { CallLogProcessorsModule, UsageProcessorsModule } from '#keys';
import { SessionPurgeProcessorsModule } from '#users';
import { AlertsModule, AlertsProcessorsModule } from '#alerts';
import { AuditRetentionModule } from '#auth';
import { SignInSealedColumnsModule } from '#sign-in';
import { UpstreamOAuthModule } from '#upstream-oauth';
import { BackupProcessorsModule } from '#backup';
import { MarketplaceProcessorsModule } from '#marketplace';
import { WorkerMetricsServer } from './worker-metrics.server.js';

/** The background worker: BullMQ processors, no API (only /metrics when WORKER_METRICS_PORT is set). Needs Redis; the hub applies migrations. */
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
        MetricsModule,
        CryptoModule,
        RedisModule,
        EventsModule,
        DatabaseModule.forRoot({ runMigrations: false }),
        KeyringModule,
        JobsModule.forRoot(config, { ...jobs, processes: true }),
        SystemProcessorsModule,
        ServerHealthProcessorsModule,
        UsageProcessorsModule,
        SessionPurgeProcessorsModule,
        // Health checks run here: their transitions are dispatched here, and every delivery is sent from here.
        AlertsModule,
        AlertsProcessorsModule,
        AuditRetentionModule,
        CallLogProcessorsModule,
        // Rotations re-seal every registered column: the worker imports each module that registers one.
        KeyRotationProcessorsModule,
        SignInSealedColumnsModule,
        UpstreamOAuthModule,
        // Scheduled backups: every module whose sealed columns they re-seal is loaded above (servers, alerts).
        BackupProcessorsModule,
        // npm pre-fetches of catalog installs: the npx cache they fill must be the one the hubs' stdio servers use.
        MarketplaceProcessorsModule,
      ],
      providers: [WorkerMetricsServer],
    };
  }
}

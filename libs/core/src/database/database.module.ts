import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { HUB_CONFIG, type HubConfig } from '../config/hub-config.js';
import { dataSourceOptions } from './data-source-options.js';
import { EmbeddedPostgresLifecycle } from './embedded-postgres.lifecycle.js';
import { runMigrationsOnce } from './run-migrations-once.js';

@Module({ providers: [EmbeddedPostgresLifecycle], exports: [EmbeddedPostgresLifecycle] })
class EmbeddedPostgresModule {}

export interface DatabaseModuleOptions {
  /** The hub applies pending migrations at start; the worker expects them applied. */
  runMigrations: boolean;
  /** Embedded mode: keep data in DATA_DIR (default) or only in memory (tests). */
  inMemory?: boolean;
}

@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseModuleOptions): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          imports: [EmbeddedPostgresModule],
          inject: [HUB_CONFIG, EmbeddedPostgresLifecycle],
          useFactory: async (config: HubConfig, embedded: EmbeddedPostgresLifecycle) => {
            const url = config.databaseUrl ?? (await embedded.start(options.inMemory ? undefined : config.dataDir));
            return {
              ...dataSourceOptions(url, config.databasePoolSize),
              autoLoadEntities: true,
              // Run below, under a lock: hubs starting together against one database must not race.
              migrationsRun: false,
              retryAttempts: config.databaseUrl ? 5 : 0,
            };
          },
          dataSourceFactory: async (dataSourceOptions?: DataSourceOptions) => {
            const dataSource = await new DataSource(dataSourceOptions!).initialize();
            if (!options.runMigrations) return dataSource;
            try {
              await runMigrationsOnce(dataSource);
            } catch (error) {
              // A retry creates a new DataSource: this one's pool (and any lock it holds) goes now.
              await dataSource.destroy().catch(() => undefined);
              throw error;
            }
            return dataSource;
          },
        }),
      ],
    };
  }
}

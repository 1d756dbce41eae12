import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { startEmbeddedPostgres, type RunningEmbeddedPostgres } from './embedded-postgres.js';

/** Owns the embedded database of this process; closes TypeORM's pool before stopping the server under it. */
@Injectable()
export class EmbeddedPostgresLifecycle implements OnApplicationShutdown {
  private running?: RunningEmbeddedPostgres;

  constructor(private readonly moduleRef: ModuleRef) {}

  async start(dataDir?: string): Promise<string> {
    this.running = await startEmbeddedPostgres(dataDir);
    return this.running.url;
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.running) return;
    const dataSource = this.moduleRef.get(DataSource, { strict: false });
    if (dataSource.isInitialized) await dataSource.destroy();
    await this.running.stop();
    this.running = undefined;
  }
}

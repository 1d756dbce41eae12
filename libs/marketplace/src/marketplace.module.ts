import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ServersModule } from '#servers';
import { GroupsModule } from '#groups';
import { CredentialsApiModule } from '#credentials';
import { CatalogEntry } from './catalog-entry.entity.js';
import { CatalogRepository } from './catalog.repository.js';
import { CatalogService } from './catalog.service.js';
import { CatalogResolver, CatalogVersionsLoader } from './graphql/catalog.resolver.js';
import { InstallResolver, ServerInstallationFieldResolver, ServerInstallationLoader } from './graphql/install.resolver.js';
import { InstallCatalogEntry } from './install/install-catalog-entry.js';
import { PackagePrefetchProcessor } from './install/package-prefetch.processor.js';
import { ServerInstallation } from './install/server-installation.entity.js';
import { ServerInstallationsRepository } from './install/server-installations.repository.js';
import { ServerInstallationsService } from './install/server-installations.service.js';
import { UnfinishedPrefetchesRecovery } from './install/unfinished-prefetches.recovery.js';
import { ImportFromRegistry } from './registry-import/import-from-registry.js';
import { RegistryApiController } from './registry-api/registry-api.controller.js';

/** The npm pre-fetch state and the job's queueing; what both the API and the job processor need. */
@Module({
  imports: [TypeOrmModule.forFeature([ServerInstallation])],
  providers: [ServerInstallationsRepository, ServerInstallationsService],
  exports: [ServerInstallationsService],
})
export class ServerInstallationsModule {}

/** The job processor: in the worker (Redis mode) or in the hub itself (embedded mode, with its recovery at start). */
@Module({
  imports: [ServerInstallationsModule],
  providers: [PackagePrefetchProcessor, UnfinishedPrefetchesRecovery],
})
export class MarketplaceProcessorsModule {}

@Module({
  imports: [TypeOrmModule.forFeature([CatalogEntry]), ServerInstallationsModule, ServersModule, GroupsModule, CredentialsApiModule],
  controllers: [RegistryApiController],
  providers: [
    CatalogRepository,
    CatalogService,
    CatalogResolver,
    CatalogVersionsLoader,
    ImportFromRegistry,
    InstallCatalogEntry,
    InstallResolver,
    ServerInstallationLoader,
    ServerInstallationFieldResolver,
  ],
  exports: [CatalogService],
})
export class MarketplaceModule {}

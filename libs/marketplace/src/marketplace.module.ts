import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CatalogEntry } from './catalog-entry.entity.js';
import { CatalogRepository } from './catalog.repository.js';
import { CatalogService } from './catalog.service.js';
import { CatalogResolver } from './graphql/catalog.resolver.js';
import { RegistryApiController } from './registry-api/registry-api.controller.js';

@Module({
  imports: [TypeOrmModule.forFeature([CatalogEntry])],
  controllers: [RegistryApiController],
  providers: [CatalogRepository, CatalogService, CatalogResolver],
  exports: [CatalogService],
})
export class MarketplaceModule {}

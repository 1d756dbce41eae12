import { Authorize, CurrentActor, Permission, type Actor } from '#auth';
import { Args, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { CatalogEntry } from '../catalog-entry.entity.js';
import { CatalogTransport, npxCommand } from '../catalog-types.js';
import { CatalogService } from '../catalog.service.js';
import { ImportFromRegistry } from '../registry-import/import-from-registry.js';
import { CatalogEntryPageType, CatalogEntryType } from './catalog-entry.type.js';
import { RegistryImportResultType } from './install.types.js';

@Resolver(() => CatalogEntryType)
export class CatalogResolver {
  constructor(
    private readonly catalog: CatalogService,
    private readonly registryImport: ImportFromRegistry,
  ) {}

  @Authorize(Permission.CATALOG_READ)
  @Query(() => CatalogEntryPageType, { description: 'The marketplace catalog (first <= 100, default 30); search ranks by relevance' })
  catalogEntries(
    @Args('search', { type: () => String, nullable: true, description: 'Web-search syntax: words, "a phrase", -excluded' }) search?: string,
    @Args('tag', { type: () => String, nullable: true }) tag?: string,
    @Args('transport', { type: () => CatalogTransport, nullable: true }) transport?: CatalogTransport,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { type: () => String, nullable: true }) after?: string,
  ) {
    return this.catalog.page({ search, tag, transport, first, after });
  }

  @Authorize(Permission.CATALOG_READ)
  @Query(() => CatalogEntryType)
  catalogEntry(@Args('id', { type: () => ID }) id: string) {
    return this.catalog.get(id);
  }

  @Authorize(Permission.CATALOG_MANAGE)
  @Mutation(() => CatalogEntryType, { description: 'Admins: adds the server of an MCP Registry server.json, or replaces the entry of that name' })
  importCatalogEntry(@Args('serverJson', { type: () => String, description: 'The server.json text' }) serverJson: string) {
    return this.catalog.importServerJson(serverJson);
  }

  @Authorize(Permission.CATALOG_MANAGE)
  @Mutation(() => RegistryImportResultType, {
    description: 'Admins: imports every server of an MCP Registry (GET /v0.1/servers, all pages); invalid ones are skipped with their reason',
  })
  importCatalogFromRegistry(@CurrentActor() actor: Actor, @Args('url', { type: () => String, description: 'The registry base URL, or its /v0.1/servers' }) url: string) {
    return this.registryImport.run(actor, url);
  }

  @Authorize(Permission.CATALOG_MANAGE)
  @Mutation(() => Boolean, { description: 'Admins' })
  removeCatalogEntry(@Args('id', { type: () => ID }) id: string) {
    return this.catalog.remove(id);
  }

  @ResolveField(() => [String], { description: 'STDIO: the command line the hub runs (npx -y <package>@<version> <args>); empty for remotes' })
  command(@Parent() entry: CatalogEntry) {
    return npxCommand(entry);
  }
}

import { Authorize, CurrentActor, Permission, type Actor } from '#auth';
import { Injectable } from '@nestjs/common';
import { Args, Context, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { RequestLoader } from '#core';
import type { CatalogEntry } from '../catalog-entry.entity.js';
import { CatalogTransport, npxCommand } from '../catalog-types.js';
import { CatalogService } from '../catalog.service.js';
import { ImportFromRegistry } from '../registry-import/import-from-registry.js';
import { CatalogEntryPageType, CatalogEntryType } from './catalog-entry.type.js';
import { RegistryImportResultType } from './install.types.js';

/** `catalogEntries { versions }`: one query per GraphQL request. */
@Injectable()
export class CatalogVersionsLoader {
  private readonly loader: RequestLoader<string, CatalogEntry[]>;

  constructor(catalog: CatalogService) {
    this.loader = new RequestLoader((names) => catalog.versionsOf(names), () => []);
  }

  load(requestContext: object, name: string): Promise<CatalogEntry[]> {
    return this.loader.load(requestContext, name);
  }
}

@Resolver(() => CatalogEntryType)
export class CatalogResolver {
  constructor(
    private readonly catalog: CatalogService,
    private readonly registryImport: ImportFromRegistry,
    private readonly versionsLoader: CatalogVersionsLoader,
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
  @Mutation(() => CatalogEntryType, {
    description: "Admins: adds the server version an MCP Registry server.json describes (or replaces that version's details); the highest version is the latest",
  })
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
  @Mutation(() => Boolean, { description: 'Admins: removes the entry, every version of its name; or, given a version, that one (the highest left becomes the latest)' })
  removeCatalogEntry(
    @Args('id', { type: () => ID, description: 'Any version of the entry' }) id: string,
    @Args('version', { type: () => String, nullable: true }) version?: string,
  ) {
    return this.catalog.remove(id, version);
  }

  @ResolveField(() => [CatalogEntryType], { description: 'Every version of this name, newest first (installCatalogEntry takes one as input.version)' })
  versions(@Parent() entry: CatalogEntry, @Context() context: object) {
    return this.versionsLoader.load(context, entry.name);
  }

  @ResolveField(() => [String], { description: 'STDIO: the command line the hub runs (npx -y <package>@<version> <args>); empty for remotes' })
  command(@Parent() entry: CatalogEntry) {
    return npxCommand(entry);
  }
}

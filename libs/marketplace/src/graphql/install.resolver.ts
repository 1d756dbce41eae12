import { Injectable } from '@nestjs/common';
import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { RequestLoader } from '#core';
import { Authorize, CurrentActor, Permission, type Actor } from '#auth';
import { ServerType, ServersService, type McpServer } from '#servers';
import { InstallCatalogEntry } from '../install/install-catalog-entry.js';
import { ServerInstallationsService } from '../install/server-installations.service.js';
import type { ServerInstallation } from '../install/server-installation.entity.js';
import { InstallCatalogEntryInput, InstallCatalogEntryResultType, ServerInstallationType } from './install.types.js';

/** `servers { installation }`: one query per GraphQL request. */
@Injectable()
export class ServerInstallationLoader {
  private readonly loader: RequestLoader<string, ServerInstallation | null>;

  constructor(installations: ServerInstallationsService) {
    this.loader = new RequestLoader(async (ids) => new Map((await installations.findByServerIds(ids)).map((i) => [i.serverId, i])), () => null);
  }

  load(requestContext: object, serverId: string): Promise<ServerInstallation | null> {
    return this.loader.load(requestContext, serverId);
  }
}

@Resolver()
export class InstallResolver {
  constructor(
    private readonly install: InstallCatalogEntry,
    private readonly servers: ServersService,
    private readonly loader: ServerInstallationLoader,
    private readonly installations: ServerInstallationsService,
  ) {}

  @Authorize(Permission.SERVER_CREATE)
  @Mutation(() => InstallCatalogEntryResultType, {
    description: "Creates a server from a catalog entry; your values become your own credentials. STDIO entries: admins only (their npm package is pre-fetched: see Server.installation)",
  })
  installCatalogEntry(@CurrentActor() actor: Actor, @Args('input', { type: () => InstallCatalogEntryInput }) input: InstallCatalogEntryInput) {
    return this.install.run(actor, { ...input, values: input.values?.map((v) => ({ ...v })) });
  }

  @Authorize(Permission.SERVER_UPDATE)
  @Mutation(() => ServerInstallationType, { description: 'Runs a FAILED npm pre-fetch again (after the cause was fixed); same permission as changing the server' })
  async retryServerInstallation(@CurrentActor() actor: Actor, @Args('serverId', { type: () => ID }) serverId: string) {
    const server = await this.servers.get(actor, serverId, 'serverId', Permission.SERVER_UPDATE);
    return this.installations.retry(server.id);
  }

  @Authorize(Permission.SERVER_READ)
  @Query(() => ServerInstallationType, { nullable: true, description: "The npm pre-fetch of a server installed from the catalog (null: not installed that way)" })
  async serverInstallation(@CurrentActor() actor: Actor, @Args('serverId', { type: () => ID }) serverId: string, @Context() context: object) {
    const server = await this.servers.get(actor, serverId, 'serverId');
    return this.loader.load(context, server.id);
  }
}

@Resolver(() => ServerType)
export class ServerInstallationFieldResolver {
  constructor(private readonly loader: ServerInstallationLoader) {}

  @ResolveField(() => ServerInstallationType, { nullable: true, description: 'Installed from the catalog (STDIO): the npm pre-fetch' })
  installation(@Parent() server: McpServer, @Context() context: object) {
    return this.loader.load(context, server.id);
  }
}

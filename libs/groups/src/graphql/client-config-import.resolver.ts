import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Authorize, CurrentActor, Permission, type Actor } from '#auth';
import { primaryEndpoint } from '#servers';
import { ClientConfigFormat } from '../config-import/client-config-format.js';
import { ClientConfigExportService } from '../config-import/client-config-export.service.js';
import { ImportClientConfig } from '../config-import/import-client-config.js';
import { ClientConfigExportType, ImportClientConfigInput, ImportClientConfigResultType } from './client-config-import.types.js';

@Resolver()
export class ClientConfigImportResolver {
  constructor(
    private readonly importer: ImportClientConfig,
    private readonly exporter: ClientConfigExportService,
  ) {}

  @Authorize(Permission.SERVER_CREATE)
  @Mutation(() => ImportClientConfigResultType, {
    description: 'Creates servers plus one group holding them from a client config file, all or nothing. Stdio entries: admins only',
  })
  async importClientConfig(
    @CurrentActor() actor: Actor,
    @Args('input', { type: () => ImportClientConfigInput }) input: ImportClientConfigInput,
  ): Promise<ImportClientConfigResultType> {
    const result = await this.importer.run(actor, { ...input });
    return {
      dryRun: result.dryRun,
      group: result.group,
      groupName: result.groupName,
      groupSlug: result.groupSlug,
      servers: result.servers.map(({ key, server }) => ({ key, server, endpoint: primaryEndpoint(server) })).map(({ key, server, endpoint }) => ({
        id: result.dryRun ? null : server.id,
        key,
        name: server.name,
        slug: server.slug,
        transport: endpoint.transport,
        command: endpoint.command,
        args: endpoint.args,
        url: endpoint.url,
        envNames: endpoint.env.map((e) => e.name),
        headerNames: endpoint.headers.map((h) => h.name),
        enabled: server.enabled,
      })),
      pendingValues: result.pending.map(({ serverSlug, kind, name, reference, variable, description }) => ({ serverSlug, kind, name, reference, variable, description })),
      warnings: result.warnings,
    };
  }

  @Authorize(Permission.GROUP_READ)
  @Query(() => ClientConfigExportType, { description: "A group as a client config: its endpoint entry, and its member servers' definitions" })
  exportClientConfig(
    @CurrentActor() actor: Actor,
    @Args('groupId', { type: () => ID }) groupId: string,
    @Args('format', { type: () => ClientConfigFormat }) format: ClientConfigFormat,
  ) {
    return this.exporter.export(actor, groupId, format);
  }
}

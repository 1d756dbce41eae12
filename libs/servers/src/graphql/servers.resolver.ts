import { Authorize, CurrentActor, Permission, type Actor } from '#auth';
import { Args, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { ServerVariableType } from '#credentials';
import { RegisterServerInput, UpdateServerInput } from '../dto/server.inputs.js';
import { ServerTransport, type McpServer } from '../mcp-server.entity.js';
import { primaryEndpoint } from '../endpoints/primary-endpoint.js';
import { ServersService } from '../servers.service.js';
import { ServerCapabilitiesType } from './server-capabilities.type.js';
import { SecretEntryType, ServerTestResultType, ServerType } from './server.type.js';

@Resolver(() => ServerType)
export class ServersResolver {
  constructor(private readonly serversService: ServersService) {}

  @Authorize(Permission.SERVER_CREATE)
  @Mutation(() => ServerType, { description: 'STDIO servers run a program on the hub: admins only' })
  registerServer(@CurrentActor() actor: Actor, @Args('input', { type: () => RegisterServerInput }) input: RegisterServerInput) {
    return this.serversService.register(actor, { ...input });
  }

  @Authorize(Permission.SERVER_UPDATE)
  @Mutation(() => ServerType)
  updateServer(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }) id: string,
    @Args('input', { type: () => UpdateServerInput }) input: UpdateServerInput,
  ) {
    return this.serversService.update(actor, id, { ...input });
  }

  @Authorize(Permission.SERVER_DELETE)
  @Mutation(() => Boolean)
  removeServer(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }) id: string) {
    return this.serversService.remove(actor, id);
  }

  @Authorize(Permission.SERVER_READ)
  @Query(() => [ServerType], { description: "Your servers; admins see everyone's" })
  servers(
    @CurrentActor() actor: Actor,
    @Args('first', { type: () => Int, nullable: true, description: 'At most 100; default 50' }) first?: number,
    @Args('offset', { type: () => Int, nullable: true }) offset?: number,
  ) {
    return this.serversService.list(actor, { first: first ?? undefined, offset: offset ?? undefined });
  }

  @Authorize(Permission.SERVER_READ)
  @Query(() => ServerType)
  server(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }) id: string) {
    return this.serversService.get(actor, id);
  }

  @Authorize(Permission.SERVER_UPDATE)
  @Mutation(() => ServerTestResultType, { description: 'Connects to the server, lists what it offers and stores the result' })
  testServer(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }) id: string) {
    return this.serversService.test(actor, id);
  }

  @ResolveField(() => [ServerVariableType], { description: 'The ${NAME}s its configuration refers to, and whose credential would fill them for you' })
  variables(@CurrentActor() actor: Actor, @Parent() server: McpServer) {
    return this.serversService.variables(actor, server);
  }

  // The server's transport fields are its primary endpoint's (the API predates endpoints).
  @ResolveField(() => ServerTransport)
  transport(@Parent() server: McpServer): ServerTransport {
    return primaryEndpoint(server).transport;
  }

  @ResolveField(() => String, { nullable: true })
  command(@Parent() server: McpServer): string | null {
    return primaryEndpoint(server).command;
  }

  @ResolveField(() => [String])
  args(@Parent() server: McpServer): string[] {
    return primaryEndpoint(server).args;
  }

  @ResolveField(() => String, { nullable: true })
  cwd(@Parent() server: McpServer): string | null {
    return primaryEndpoint(server).cwd;
  }

  @ResolveField(() => String, { nullable: true })
  url(@Parent() server: McpServer): string | null {
    return primaryEndpoint(server).url;
  }

  @ResolveField(() => Int, { description: "Weight of the server's own transport (its primary replica)" })
  weight(@Parent() server: McpServer): number {
    return primaryEndpoint(server).weight;
  }

  @ResolveField(() => Int, { description: 'Priority tier of the primary replica (lower tiers are used first)' })
  priority(@Parent() server: McpServer): number {
    return primaryEndpoint(server).priority;
  }

  @ResolveField(() => [SecretEntryType])
  env(@Parent() server: McpServer) {
    return this.serversService.maskedEntries(server, 'env');
  }

  @ResolveField(() => [SecretEntryType])
  headers(@Parent() server: McpServer) {
    return this.serversService.maskedEntries(server, 'header');
  }

  @ResolveField(() => ServerCapabilitiesType, { nullable: true })
  capabilities(@Parent() server: McpServer): ServerCapabilitiesType | null {
    const snapshot = server.capabilities;
    if (!snapshot || !server.capabilitiesAt) return null;
    return {
      tools: snapshot.tools,
      resources: snapshot.resources,
      resourceTemplates: snapshot.resourceTemplates,
      prompts: snapshot.prompts,
      serverName: snapshot.serverInfo?.name ?? null,
      serverVersion: snapshot.serverInfo?.version ?? null,
      protocolVersion: snapshot.protocolVersion,
      discoveredAt: server.capabilitiesAt,
    };
  }
}

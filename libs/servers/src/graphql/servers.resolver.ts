import { UseGuards } from '@nestjs/common';
import { Args, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentUser, UserAuthGuard, type User } from '#users';
import { RegisterServerInput, UpdateServerInput } from '../dto/server.inputs.js';
import type { McpServer } from '../mcp-server.entity.js';
import { ServersService } from '../servers.service.js';
import { ServerCapabilitiesType } from './server-capabilities.type.js';
import { SecretEntryType, ServerTestResultType, ServerType } from './server.type.js';

@Resolver(() => ServerType)
@UseGuards(UserAuthGuard)
export class ServersResolver {
  constructor(private readonly serversService: ServersService) {}

  @Mutation(() => ServerType, { description: 'STDIO servers run a program on the hub: admins only' })
  registerServer(@CurrentUser() user: User, @Args('input', { type: () => RegisterServerInput }) input: RegisterServerInput) {
    return this.serversService.register(user, { ...input });
  }

  @Mutation(() => ServerType)
  updateServer(
    @CurrentUser() user: User,
    @Args('id', { type: () => ID }) id: string,
    @Args('input', { type: () => UpdateServerInput }) input: UpdateServerInput,
  ) {
    return this.serversService.update(user, id, { ...input });
  }

  @Mutation(() => Boolean)
  removeServer(@CurrentUser() user: User, @Args('id', { type: () => ID }) id: string) {
    return this.serversService.remove(user, id);
  }

  @Query(() => [ServerType], { description: "Your servers; admins see everyone's" })
  servers(
    @CurrentUser() user: User,
    @Args('first', { type: () => Int, nullable: true, description: 'At most 100; default 50' }) first?: number,
    @Args('offset', { type: () => Int, nullable: true }) offset?: number,
  ) {
    return this.serversService.list(user, { first: first ?? undefined, offset: offset ?? undefined });
  }

  @Query(() => ServerType)
  server(@CurrentUser() user: User, @Args('id', { type: () => ID }) id: string) {
    return this.serversService.get(user, id);
  }

  @Mutation(() => ServerTestResultType, { description: 'Connects to the server, lists what it offers and stores the result' })
  testServer(@CurrentUser() user: User, @Args('id', { type: () => ID }) id: string) {
    return this.serversService.test(user, id);
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

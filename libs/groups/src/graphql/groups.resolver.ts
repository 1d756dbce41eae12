import { Authorize, CurrentActor, Permission, type Actor } from '#auth';
import { Args, Context, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { ServerType } from '#servers';
import { CreateGroupInput, UpdateGroupInput } from '../dto/group.inputs.js';
import type { Group } from '../group.entity.js';
import { GroupsService } from '../groups.service.js';
import { McpClientId } from '../client-configs.js';
import { ClientConfigType } from './client-config.type.js';
import { GroupEndpointsType, GroupToolType, GroupType } from './group.type.js';
import { NamingCollisionType } from './naming-collision.type.js';
import { GroupServersLoader } from './group-servers.loader.js';

@Resolver(() => GroupType)
export class GroupsResolver {
  constructor(
    private readonly groupsService: GroupsService,
    private readonly serversLoader: GroupServersLoader,
  ) {}

  @Authorize(Permission.GROUP_CREATE)
  @Mutation(() => GroupType)
  createGroup(@CurrentActor() actor: Actor, @Args('input', { type: () => CreateGroupInput }) input: CreateGroupInput) {
    return this.groupsService.create(actor, { ...input });
  }

  @Authorize(Permission.GROUP_UPDATE)
  @Mutation(() => GroupType)
  updateGroup(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }) id: string,
    @Args('input', { type: () => UpdateGroupInput }) input: UpdateGroupInput,
  ) {
    return this.groupsService.update(actor, id, { ...input });
  }

  @Authorize(Permission.GROUP_DELETE)
  @Mutation(() => Boolean)
  removeGroup(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }) id: string) {
    return this.groupsService.remove(actor, id);
  }

  @Authorize(Permission.GROUP_READ)
  @Query(() => [GroupType], { description: "Your groups; admins see everyone's" })
  groups(
    @CurrentActor() actor: Actor,
    @Args('first', { type: () => Int, nullable: true, description: 'At most 100; default 50' }) first?: number,
    @Args('offset', { type: () => Int, nullable: true }) offset?: number,
  ) {
    return this.groupsService.list(actor, { first: first ?? undefined, offset: offset ?? undefined });
  }

  @Authorize(Permission.GROUP_READ)
  @Query(() => GroupType)
  group(@CurrentActor() actor: Actor, @Args('slug', { type: () => String }) slug: string) {
    return this.groupsService.getBySlug(actor, slug);
  }

  @Authorize(Permission.GROUP_UPDATE)
  @Mutation(() => GroupType, { description: 'Members may add only servers they own' })
  addServerToGroup(
    @CurrentActor() actor: Actor,
    @Args('groupId', { type: () => ID }) groupId: string,
    @Args('serverId', { type: () => ID }) serverId: string,
  ) {
    return this.groupsService.addServer(actor, groupId, serverId);
  }

  @Authorize(Permission.GROUP_UPDATE)
  @Mutation(() => GroupType)
  removeServerFromGroup(
    @CurrentActor() actor: Actor,
    @Args('groupId', { type: () => ID }) groupId: string,
    @Args('serverId', { type: () => ID }) serverId: string,
  ) {
    return this.groupsService.removeServer(actor, groupId, serverId);
  }

  @Authorize(Permission.GROUP_UPDATE)
  @Mutation(() => GroupType, {
    description: 'Puts the member servers in this order (list each once): the first owns a tool name or resource URI two would share',
  })
  reorderGroupServers(
    @CurrentActor() actor: Actor,
    @Args('groupId', { type: () => ID }) groupId: string,
    @Args('serverIds', { type: () => [ID] }) serverIds: string[],
  ) {
    return this.groupsService.reorderServers(actor, groupId, serverIds);
  }

  @ResolveField(() => [ServerType])
  servers(@Parent() group: Group, @Context() context: object) {
    return this.serversLoader.load(context, group.id);
  }

  @ResolveField(() => [GroupToolType])
  async tools(@Parent() group: Group, @Context() context: object): Promise<GroupToolType[]> {
    return this.groupsService.tools(group, await this.serversLoader.load(context, group.id));
  }

  @ResolveField(() => [NamingCollisionType])
  async namingCollisions(@Parent() group: Group, @Context() context: object): Promise<NamingCollisionType[]> {
    // The domain's string unions are the GraphQL enums' values.
    return this.groupsService.namingCollisions(group, await this.serversLoader.load(context, group.id)) as NamingCollisionType[];
  }

  @ResolveField(() => GroupEndpointsType)
  endpoints(@Parent() group: Group) {
    return this.groupsService.endpoints(group);
  }

  @ResolveField(() => [ClientConfigType])
  clientConfigs(@Parent() group: Group) {
    return this.groupsService.clientConfigs(group);
  }

  @ResolveField(() => String)
  clientConfig(@Parent() group: Group) {
    return this.groupsService.clientConfigs(group).find((c) => c.client === McpClientId.CURSOR)!.text;
  }
}

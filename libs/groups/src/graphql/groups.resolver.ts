import { UseGuards } from '@nestjs/common';
import { Args, Context, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { ServerType } from '#servers';
import { CurrentUser, UserAuthGuard, type User } from '#users';
import { CreateGroupInput, UpdateGroupInput } from '../dto/group.inputs.js';
import type { Group } from '../group.entity.js';
import { GroupsService } from '../groups.service.js';
import { GroupEndpointsType, GroupType } from './group.type.js';
import { GroupServersLoader } from './group-servers.loader.js';

@Resolver(() => GroupType)
@UseGuards(UserAuthGuard)
export class GroupsResolver {
  constructor(
    private readonly groupsService: GroupsService,
    private readonly serversLoader: GroupServersLoader,
  ) {}

  @Mutation(() => GroupType)
  createGroup(@CurrentUser() user: User, @Args('input', { type: () => CreateGroupInput }) input: CreateGroupInput) {
    return this.groupsService.create(user, { ...input });
  }

  @Mutation(() => GroupType)
  updateGroup(
    @CurrentUser() user: User,
    @Args('id', { type: () => ID }) id: string,
    @Args('input', { type: () => UpdateGroupInput }) input: UpdateGroupInput,
  ) {
    return this.groupsService.update(user, id, { ...input });
  }

  @Mutation(() => Boolean)
  removeGroup(@CurrentUser() user: User, @Args('id', { type: () => ID }) id: string) {
    return this.groupsService.remove(user, id);
  }

  @Query(() => [GroupType], { description: "Your groups; admins see everyone's" })
  groups(
    @CurrentUser() user: User,
    @Args('first', { type: () => Int, nullable: true, description: 'At most 100; default 50' }) first?: number,
    @Args('offset', { type: () => Int, nullable: true }) offset?: number,
  ) {
    return this.groupsService.list(user, { first: first ?? undefined, offset: offset ?? undefined });
  }

  @Query(() => GroupType)
  group(@CurrentUser() user: User, @Args('slug', { type: () => String }) slug: string) {
    return this.groupsService.getBySlug(user, slug);
  }

  @Mutation(() => GroupType, { description: 'Members may add only servers they own' })
  addServerToGroup(
    @CurrentUser() user: User,
    @Args('groupId', { type: () => ID }) groupId: string,
    @Args('serverId', { type: () => ID }) serverId: string,
  ) {
    return this.groupsService.addServer(user, groupId, serverId);
  }

  @Mutation(() => GroupType)
  removeServerFromGroup(
    @CurrentUser() user: User,
    @Args('groupId', { type: () => ID }) groupId: string,
    @Args('serverId', { type: () => ID }) serverId: string,
  ) {
    return this.groupsService.removeServer(user, groupId, serverId);
  }

  @ResolveField(() => [ServerType])
  servers(@Parent() group: Group, @Context() context: object) {
    return this.serversLoader.load(context, group.id);
  }

  @ResolveField(() => GroupEndpointsType)
  endpoints(@Parent() group: Group) {
    return this.groupsService.endpoints(group);
  }

  @ResolveField(() => String)
  clientConfig(@Parent() group: Group) {
    return this.groupsService.clientConfig(group);
  }
}

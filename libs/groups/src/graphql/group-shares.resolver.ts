import { AccessLevel, Authorize, CurrentActor, Permission, type Actor } from '#auth';
import { Args, Context, ID, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { ResourceShareType, ShareableType, SharesLoader } from '#users';
import type { Group } from '../group.entity.js';
import { GroupSharingService } from '../sharing/group-sharing.service.js';
import { GroupType } from './group.type.js';

@Resolver(() => GroupType)
export class GroupSharesResolver {
  constructor(
    private readonly sharing: GroupSharingService,
    private readonly sharesLoader: SharesLoader,
  ) {}

  @Authorize(Permission.GROUP_SHARE)
  @Mutation(() => GroupType, {
    description: "Gives a team's members access to the group (VIEWER: use its endpoint with their own keys); again: changes the level. Needs OWNER access",
  })
  shareGroup(
    @CurrentActor() actor: Actor,
    @Args('groupId', { type: () => ID }) groupId: string,
    @Args('teamId', { type: () => ID }) teamId: string,
    @Args('level', { type: () => AccessLevel }) level: AccessLevel,
  ) {
    return this.sharing.share(actor, groupId, teamId, level);
  }

  @Authorize(Permission.GROUP_SHARE)
  @Mutation(() => GroupType, { description: "Takes the team's access away at once, open agent sessions included. Needs OWNER access" })
  unshareGroup(@CurrentActor() actor: Actor, @Args('groupId', { type: () => ID }) groupId: string, @Args('teamId', { type: () => ID }) teamId: string) {
    return this.sharing.unshare(actor, groupId, teamId);
  }

  @ResolveField(() => [ResourceShareType], { description: 'Teams the group is shared with' })
  shares(@Parent() group: Group, @Context() context: object) {
    return this.sharesLoader.load(context, ShareableType.GROUP, group);
  }
}

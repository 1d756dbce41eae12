import { UseGuards } from '@nestjs/common';
import { Args, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentUser, UserAuthGuard, type User } from '#users';
import type { GroupRevision } from '../revisions/group-revision.entity.js';
import { GroupRevisionsService } from '../revisions/group-revisions.service.js';
import { snapshotView } from '../revisions/group-snapshot.js';
import { RollbackGroup } from '../revisions/rollback-group.js';
import { GroupRevisionType, GroupSnapshotType } from './group-revision.type.js';
import { GroupType } from './group.type.js';

@Resolver(() => GroupRevisionType)
@UseGuards(UserAuthGuard)
export class GroupRevisionsResolver {
  constructor(
    private readonly revisionsService: GroupRevisionsService,
    private readonly rollback: RollbackGroup,
  ) {}

  @Query(() => [GroupRevisionType], { description: "A group's configuration history, newest first" })
  groupRevisions(
    @CurrentUser() user: User,
    @Args('groupId', { type: () => ID }) groupId: string,
    @Args('first', { type: () => Int, nullable: true, description: 'At most 100; default 50' }) first?: number,
    @Args('offset', { type: () => Int, nullable: true }) offset?: number,
  ) {
    return this.revisionsService.list(user, groupId, { first: first ?? undefined, offset: offset ?? undefined });
  }

  @Mutation(() => GroupType, { description: 'Restores the configuration of a revision atomically and records it as a new revision' })
  rollbackGroup(
    @CurrentUser() user: User,
    @Args('groupId', { type: () => ID }) groupId: string,
    @Args('revision', { type: () => Int }) revision: number,
  ) {
    return this.rollback.execute(user, groupId, revision);
  }

  @ResolveField(() => GroupSnapshotType)
  snapshot(@Parent() revision: GroupRevision) {
    return snapshotView(revision.snapshot);
  }
}

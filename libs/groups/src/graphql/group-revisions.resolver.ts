import { Authorize, CurrentActor, Permission, type Actor } from '#auth';
import { Args, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { GroupRevision } from '../revisions/group-revision.entity.js';
import { GroupRevisionsService } from '../revisions/group-revisions.service.js';
import { snapshotView } from '../revisions/group-snapshot.js';
import { RollbackGroup } from '../revisions/rollback-group.js';
import { GroupRevisionType, GroupSnapshotType } from './group-revision.type.js';
import { GroupType } from './group.type.js';

@Resolver(() => GroupRevisionType)
export class GroupRevisionsResolver {
  constructor(
    private readonly revisionsService: GroupRevisionsService,
    private readonly rollback: RollbackGroup,
  ) {}

  @Authorize(Permission.GROUP_READ)
  @Query(() => [GroupRevisionType], { description: "A group's configuration history, newest first" })
  groupRevisions(
    @CurrentActor() actor: Actor,
    @Args('groupId', { type: () => ID }) groupId: string,
    @Args('first', { type: () => Int, nullable: true, description: 'At most 100; default 50' }) first?: number,
    @Args('offset', { type: () => Int, nullable: true }) offset?: number,
  ) {
    return this.revisionsService.list(actor, groupId, { first: first ?? undefined, offset: offset ?? undefined });
  }

  @Authorize(Permission.GROUP_UPDATE)
  @Mutation(() => GroupType, { description: 'Restores the configuration of a revision atomically and records it as a new revision' })
  rollbackGroup(
    @CurrentActor() actor: Actor,
    @Args('groupId', { type: () => ID }) groupId: string,
    @Args('revision', { type: () => Int }) revision: number,
  ) {
    return this.rollback.execute(actor, groupId, revision);
  }

  @ResolveField(() => GroupSnapshotType)
  snapshot(@Parent() revision: GroupRevision) {
    return snapshotView(revision.snapshot);
  }
}

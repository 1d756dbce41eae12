import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Authorize, CurrentActor, Permission, type Actor } from '#auth';
import { SignInSessionsService } from '../sessions/sign-in-sessions.service.js';
import { SignInSessionType } from './session.type.js';

@Resolver(() => SignInSessionType)
export class SessionsResolver {
  constructor(private readonly sessions: SignInSessionsService) {}

  @Authorize(Permission.SELF_READ)
  @Query(() => [SignInSessionType], { description: 'Your sign-in sessions that are still valid, most recently used first' })
  mySessions(
    @CurrentActor() actor: Actor,
    @Args('first', { type: () => Int, nullable: true, description: 'At most 100; default 50' }) first?: number,
    @Args('offset', { type: () => Int, nullable: true }) offset?: number,
  ) {
    return this.sessions.listMine(actor, actor.sessionId!, { first: first ?? undefined, offset: offset ?? undefined });
  }

  @Authorize(Permission.SELF_UPDATE)
  @Mutation(() => Boolean, { description: 'Ends one of your sessions: its tokens stop working at once' })
  revokeSession(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }) id: string) {
    return this.sessions.revokeMine(actor, id);
  }

  @Authorize(Permission.SELF_UPDATE)
  @Mutation(() => Int, { description: 'Ends all your sessions but this one; returns how many' })
  revokeOtherSessions(@CurrentActor() actor: Actor) {
    return this.sessions.revokeMyOthers(actor, actor.sessionId!);
  }

  @Authorize(Permission.SELF_UPDATE)
  @Mutation(() => Boolean, { description: 'Ends this session: its access and refresh tokens stop working' })
  signOut(@CurrentActor() actor: Actor) {
    return this.sessions.signOut(actor.sessionId!);
  }

  @Authorize(Permission.USER_MANAGE)
  @Mutation(() => Int, { description: 'Ends every session of a user (signs them out everywhere); returns how many' })
  revokeUserSessions(@Args('userId', { type: () => ID }) userId: string) {
    return this.sessions.revokeAllOfUser(userId);
  }
}

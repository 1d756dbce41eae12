import { UseGuards } from '@nestjs/common';
import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentSession, CurrentUser, Roles, type RequestWithUser } from '../auth/auth.decorators.js';
import { UserAuthGuard } from '../auth/user-auth.guard.js';
import { SignInSessionsService } from '../sessions/sign-in-sessions.service.js';
import { Role, type User } from '../user.entity.js';
import { SignInSessionType } from './session.type.js';

type CurrentSessionRef = NonNullable<RequestWithUser['session']>;

@Resolver(() => SignInSessionType)
@UseGuards(UserAuthGuard)
export class SessionsResolver {
  constructor(private readonly sessions: SignInSessionsService) {}

  @Query(() => [SignInSessionType], { description: 'Your sign-in sessions that are still valid, most recently used first' })
  mySessions(
    @CurrentUser() user: User,
    @CurrentSession() session: CurrentSessionRef,
    @Args('first', { type: () => Int, nullable: true, description: 'At most 100; default 50' }) first?: number,
    @Args('offset', { type: () => Int, nullable: true }) offset?: number,
  ) {
    return this.sessions.listMine(user, session.id, { first: first ?? undefined, offset: offset ?? undefined });
  }

  @Mutation(() => Boolean, { description: 'Ends one of your sessions: its tokens stop working at once' })
  revokeSession(@CurrentUser() user: User, @Args('id', { type: () => ID }) id: string) {
    return this.sessions.revokeMine(user, id);
  }

  @Mutation(() => Int, { description: 'Ends all your sessions but this one; returns how many' })
  revokeOtherSessions(@CurrentUser() user: User, @CurrentSession() session: CurrentSessionRef) {
    return this.sessions.revokeMyOthers(user, session.id);
  }

  @Mutation(() => Boolean, { description: 'Ends this session: its access and refresh tokens stop working' })
  signOut(@CurrentSession() session: CurrentSessionRef) {
    return this.sessions.signOut(session.id);
  }

  @Roles(Role.ADMIN)
  @Mutation(() => Int, { description: "Ends every session of a user (signs them out everywhere); returns how many" })
  revokeUserSessions(@Args('userId', { type: () => ID }) userId: string) {
    return this.sessions.revokeAllOfUser(userId);
  }
}

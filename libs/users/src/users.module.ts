import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoginThrottle } from './auth/login-throttle.js';
import { LoginService } from './auth/login.service.js';
import { PasswordHasher } from './auth/password-hasher.js';
import { TokensService } from './auth/tokens.service.js';
import { AccessGuard } from './auth/access.guard.js';
import { ActorLoader } from './auth/actor-loader.js';
import { AuthResolver } from './graphql/auth.resolver.js';
import { UsersResolver } from './graphql/users.resolver.js';
import { User } from './user.entity.js';
import { UsersRepository } from './users.repository.js';
import { UsersService } from './users.service.js';
import { TeamMembersLoader } from './teams/graphql/team-members.loader.js';
import { TeamsResolver } from './teams/graphql/teams.resolver.js';
import { ResourceShare } from './teams/sharing/resource-share.entity.js';
import { ResourceSharesRepository } from './teams/sharing/resource-shares.repository.js';
import { ResourceSharingService } from './teams/sharing/resource-sharing.service.js';
import { SharesLoader } from './teams/sharing/shares.loader.js';
import { TeamMember } from './teams/team-member.entity.js';
import { Team } from './teams/team.entity.js';
import { TeamsRepository } from './teams/teams.repository.js';
import { TeamsService } from './teams/teams.service.js';

import { SignInSession } from './sessions/sign-in-session.entity.js';
import { SignInSessionsRepository } from './sessions/sign-in-sessions.repository.js';
import { SignInSessionsService } from './sessions/sign-in-sessions.service.js';
import { PasswordChangeService } from './auth/password-change.service.js';
import { SessionsResolver } from './graphql/sessions.resolver.js';
import { AccountResolver } from './graphql/account.resolver.js';

const TEAMS = [TeamsRepository, TeamsService, TeamsResolver, TeamMembersLoader, ResourceSharesRepository, ResourceSharingService, SharesLoader];
const SESSIONS = [SignInSessionsRepository, SignInSessionsService, PasswordChangeService, SessionsResolver, AccountResolver];

@Module({
  imports: [TypeOrmModule.forFeature([User, SignInSession, Team, TeamMember, ResourceShare])],
  providers: [UsersService, UsersRepository, PasswordHasher, TokensService, LoginThrottle, LoginService, ActorLoader, AccessGuard, UsersResolver, AuthResolver, ...SESSIONS, ...TEAMS],
  exports: [UsersService, TokensService, LoginService, SignInSessionsRepository, ActorLoader, AccessGuard, TeamsRepository, TeamsService, ResourceSharesRepository, ResourceSharingService, SharesLoader],
})
export class UsersModule {}

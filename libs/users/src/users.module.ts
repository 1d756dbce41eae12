import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoginThrottle } from './auth/login-throttle.js';
import { LoginService } from './auth/login.service.js';
import { TokensService } from './auth/tokens.service.js';
import { AccessGuard } from './auth/access.guard.js';
import { ActorLoader } from './auth/actor-loader.js';
import { AuthResolver } from './graphql/auth.resolver.js';
import { UsersResolver } from './graphql/users.resolver.js';
import { User } from './user.entity.js';
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

const TEAMS = [TeamsRepository, TeamsService, TeamsResolver, TeamMembersLoader, ResourceSharesRepository, ResourceSharingService, SharesLoader];

@Module({
  imports: [TypeOrmModule.forFeature([User, Team, TeamMember, ResourceShare])],
  providers: [UsersService, TokensService, LoginThrottle, LoginService, ActorLoader, AccessGuard, UsersResolver, AuthResolver, ...TEAMS],
  exports: [UsersService, TokensService, LoginService, ActorLoader, AccessGuard, TeamsRepository, TeamsService, ResourceSharesRepository, ResourceSharingService, SharesLoader],
})
export class UsersModule {}

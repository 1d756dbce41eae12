import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoginThrottle } from './auth/login-throttle.js';
import { LoginService } from './auth/login.service.js';
import { TokensService } from './auth/tokens.service.js';
import { AccessGuard } from './auth/access.guard.js';
import { AuthResolver } from './graphql/auth.resolver.js';
import { UsersResolver } from './graphql/users.resolver.js';
import { User } from './user.entity.js';
import { UsersService } from './users.service.js';
import { SignInSession } from './sessions/sign-in-session.entity.js';
import { SignInSessionsRepository } from './sessions/sign-in-sessions.repository.js';
import { SignInSessionsService } from './sessions/sign-in-sessions.service.js';
import { PasswordChangeService } from './auth/password-change.service.js';
import { SessionsResolver } from './graphql/sessions.resolver.js';
import { AccountResolver } from './graphql/account.resolver.js';

@Module({
  imports: [TypeOrmModule.forFeature([User, SignInSession])],
  providers: [
    UsersService,
    TokensService,
    LoginThrottle,
    LoginService,
    SignInSessionsRepository,
    SignInSessionsService,
    PasswordChangeService,
    AccessGuard,
    UsersResolver,
    AuthResolver,
    SessionsResolver,
    AccountResolver,
  ],
  // The guard's dependencies too: other modules' resolvers instantiate it in their own injector.
  exports: [UsersService, TokensService, LoginService, SignInSessionsRepository, AccessGuard],
})
export class UsersModule {}

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

@Module({
  imports: [TypeOrmModule.forFeature([User])],
  providers: [UsersService, TokensService, LoginThrottle, LoginService, AccessGuard, UsersResolver, AuthResolver],
  exports: [UsersService, TokensService, LoginService, AccessGuard],
})
export class UsersModule {}

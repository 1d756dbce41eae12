import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { UseGuards } from '@nestjs/common';
import { LoginService } from '../auth/login.service.js';
import { Public, type RequestWithUser } from '../auth/auth.decorators.js';
import { UserAuthGuard } from '../auth/user-auth.guard.js';
import { AuthPayloadType } from './user.type.js';

@Resolver()
@UseGuards(UserAuthGuard)
export class AuthResolver {
  constructor(private readonly login: LoginService) {}

  @Public()
  @Mutation(() => AuthPayloadType, { name: 'login' })
  signIn(
    @Args('email', { type: () => String }) email: string,
    @Args('password', { type: () => String }) password: string,
    @Context('req') req: RequestWithUser,
  ) {
    const userAgent = req.headers['user-agent'];
    return this.login.login(email, password, req.ip ?? 'unknown', typeof userAgent === 'string' ? userAgent : undefined);
  }

  @Public()
  @Mutation(() => AuthPayloadType, {
    description: 'Exchange a refresh token for a new pair; the old refresh token stops working, and using it again ends the session',
  })
  refreshToken(@Args('refreshToken', { type: () => String }) refreshToken: string) {
    return this.login.refresh(refreshToken);
  }
}

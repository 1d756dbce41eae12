import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { LoginService } from '../auth/login.service.js';
import { Public, type RequestWithActor } from '#auth';
import { AuthPayloadType } from './user.type.js';

@Resolver()
export class AuthResolver {
  constructor(private readonly login: LoginService) {}

  @Public()
  @Mutation(() => AuthPayloadType, { name: 'login' })
  signIn(
    @Args('email', { type: () => String }) email: string,
    @Args('password', { type: () => String }) password: string,
    @Context('req') req: RequestWithActor,
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

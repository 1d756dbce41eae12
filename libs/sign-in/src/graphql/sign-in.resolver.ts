import { Args, Context, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Public } from '#auth';
import { AuthPayloadType } from '#users';
import { IdentityProviders } from '../identity-providers.js';
import { SignInService } from '../sign-in.service.js';
import { PROVIDER_LABELS } from '../sign-in-provider.js';
import { SignInProviderInfoType } from './sign-in.types.js';

interface RequestLike {
  ip?: string;
  headers: Record<string, string | string[] | undefined>;
}

@Resolver()
export class SignInResolver {
  constructor(
    private readonly providers: IdentityProviders,
    private readonly signIn: SignInService,
  ) {}

  @Public()
  @Query(() => [SignInProviderInfoType], { description: 'External sign-in providers enabled on this hub' })
  signInProviders(): SignInProviderInfoType[] {
    return this.providers.enabled().map((provider) => ({ provider, label: PROVIDER_LABELS[provider], startUrl: this.providers.startUrl(provider) }));
  }

  @Public()
  @Mutation(() => AuthPayloadType, { description: 'Exchange the one-time code from /sign-in/callback?code=... for tokens (single use, 60 s)' })
  exchangeSignInCode(@Args('code', { type: () => String }) code: string, @Context('req') req: RequestLike) {
    const userAgent = req.headers['user-agent'];
    return this.signIn.exchange(code, { ip: req.ip, userAgent: typeof userAgent === 'string' ? userAgent : undefined });
  }
}

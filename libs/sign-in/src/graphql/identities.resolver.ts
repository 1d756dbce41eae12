import { UseGuards } from '@nestjs/common';
import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentUser, UserAuthGuard, type User } from '#users';
import { IdentitiesService } from '../identities/identities.service.js';
import { SignInProvider } from '../sign-in-provider.js';
import { ProviderLinkType, UserIdentityType } from './sign-in.types.js';

/** Every operation here acts on the caller's own identities only (the repository filters by user id). */
@Resolver(() => UserIdentityType)
@UseGuards(UserAuthGuard)
export class IdentitiesResolver {
  constructor(private readonly identities: IdentitiesService) {}

  @Query(() => [UserIdentityType], { description: 'GitHub / Azure AD accounts linked to your account' })
  myIdentities(@CurrentUser() user: User) {
    return this.identities.list(user);
  }

  @Mutation(() => ProviderLinkType, { description: 'A URL that links a provider account to yours; finish with completeProviderLink' })
  linkProvider(@CurrentUser() user: User, @Args('provider', { type: () => SignInProvider }) provider: SignInProvider) {
    return this.identities.linkStart(user, provider);
  }

  @Mutation(() => UserIdentityType, { description: 'Confirm the link from /sign-in/callback?linkCode=... (same user who started it)' })
  completeProviderLink(@CurrentUser() user: User, @Args('code', { type: () => String }) code: string) {
    return this.identities.linkComplete(user, code);
  }

  @Mutation(() => Boolean, { description: 'Refused when it is your last way to sign in' })
  unlinkIdentity(@CurrentUser() user: User, @Args('id', { type: () => ID }) id: string) {
    return this.identities.unlink(user, id);
  }
}

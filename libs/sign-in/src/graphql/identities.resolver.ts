import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Authorize, CurrentActor, Permission, type Actor } from '#auth';
import { IdentitiesService } from '../identities/identities.service.js';
import { SignInProvider } from '../sign-in-provider.js';
import { ProviderLinkType, UserIdentityType } from './sign-in.types.js';

/** Every operation here acts on the caller's own identities only (the repository filters by user id). */
@Resolver(() => UserIdentityType)
export class IdentitiesResolver {
  constructor(private readonly identities: IdentitiesService) {}

  @Authorize(Permission.SELF_READ)
  @Query(() => [UserIdentityType], { description: 'GitHub / Azure AD accounts linked to your account' })
  myIdentities(@CurrentActor() user: Actor) {
    return this.identities.list(user);
  }

  @Authorize(Permission.SELF_UPDATE)
  @Mutation(() => ProviderLinkType, { description: 'A URL that links a provider account to yours; finish with completeProviderLink' })
  linkProvider(@CurrentActor() user: Actor, @Args('provider', { type: () => SignInProvider }) provider: SignInProvider) {
    return this.identities.linkStart(user, provider);
  }

  @Authorize(Permission.SELF_UPDATE)
  @Mutation(() => UserIdentityType, { description: 'Confirm the link from /sign-in/callback?linkCode=... (same user who started it)' })
  completeProviderLink(@CurrentActor() user: Actor, @Args('code', { type: () => String }) code: string) {
    return this.identities.linkComplete(user, code);
  }

  @Authorize(Permission.SELF_UPDATE)
  @Mutation(() => Boolean, { description: 'Refused when it is your last way to sign in' })
  unlinkIdentity(@CurrentActor() user: Actor, @Args('id', { type: () => ID }) id: string) {
    return this.identities.unlink(user, id);
  }
}

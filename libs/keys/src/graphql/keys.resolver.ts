import { Authorize, CurrentActor, Permission, type Actor } from '#auth';
import { Args, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { displayPrefix } from '../api-key-format.js';
import type { ApiKey } from '../api-key.entity.js';
import { CreateApiKeyInput } from '../dto/create-api-key.input.js';
import { KeysService } from '../keys.service.js';
import { ApiKeyType, CreatedApiKeyType } from './api-key.type.js';

@Resolver(() => ApiKeyType)
export class KeysResolver {
  constructor(private readonly keys: KeysService) {}

  @Authorize(Permission.KEY_CREATE)
  @Mutation(() => CreatedApiKeyType)
  createApiKey(@CurrentActor() actor: Actor, @Args('input', { type: () => CreateApiKeyInput }) input: CreateApiKeyInput) {
    return this.keys.create(actor, { ...input });
  }

  @Authorize(Permission.KEY_READ)
  @Query(() => [ApiKeyType], { description: "Your keys; admins see everyone's (or one user's with userId)" })
  apiKeys(
    @CurrentActor() actor: Actor,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('offset', { type: () => Int, nullable: true }) offset?: number,
    @Args('userId', { type: () => ID, nullable: true }) userId?: string,
  ) {
    return this.keys.list(actor, { first: first ?? undefined, offset: offset ?? undefined, userId: userId ?? undefined });
  }

  @Authorize(Permission.KEY_REVOKE)
  @Mutation(() => ApiKeyType)
  revokeApiKey(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }) id: string) {
    return this.keys.revoke(actor, id);
  }

  @ResolveField(() => String)
  prefix(@Parent() key: ApiKey) {
    return displayPrefix(key.publicId);
  }
}

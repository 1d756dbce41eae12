import { UseGuards } from '@nestjs/common';
import { Args, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentUser, UserAuthGuard, type User } from '#users';
import { displayPrefix } from '../api-key-format.js';
import type { ApiKey } from '../api-key.entity.js';
import { CreateApiKeyInput } from '../dto/create-api-key.input.js';
import { KeysService } from '../keys.service.js';
import { ApiKeyType, CreatedApiKeyType } from './api-key.type.js';

@Resolver(() => ApiKeyType)
@UseGuards(UserAuthGuard)
export class KeysResolver {
  constructor(private readonly keys: KeysService) {}

  @Mutation(() => CreatedApiKeyType)
  createApiKey(@CurrentUser() user: User, @Args('input', { type: () => CreateApiKeyInput }) input: CreateApiKeyInput) {
    return this.keys.create(user, { ...input });
  }

  @Query(() => [ApiKeyType], { description: "Your keys; admins see everyone's (or one user's with userId)" })
  apiKeys(
    @CurrentUser() user: User,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('offset', { type: () => Int, nullable: true }) offset?: number,
    @Args('userId', { type: () => ID, nullable: true }) userId?: string,
  ) {
    return this.keys.list(user, { first: first ?? undefined, offset: offset ?? undefined, userId: userId ?? undefined });
  }

  @Mutation(() => ApiKeyType)
  revokeApiKey(@CurrentUser() user: User, @Args('id', { type: () => ID }) id: string) {
    return this.keys.revoke(user, id);
  }

  @ResolveField(() => String)
  prefix(@Parent() key: ApiKey) {
    return displayPrefix(key.publicId);
  }
}

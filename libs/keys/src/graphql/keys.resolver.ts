import { Authorize, CurrentActor, Permission, type Actor } from '#auth';
import { Args, Context, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { notFound } from '#core';
import { UserType, type User } from '#users';
import { displayPrefix } from '../api-key-format.js';
import type { ApiKey } from '../api-key.entity.js';
import { CreateApiKeyInput } from '../dto/create-api-key.input.js';
import { UpdateApiKeyInput } from '../dto/update-api-key.input.js';
import { KeysService } from '../keys.service.js';
import { ApiKeyOwnersLoader } from './api-key-owners.loader.js';
import { ApiKeyPageType, ApiKeyType, CreatedApiKeyType } from './api-key.type.js';

@Resolver(() => ApiKeyType)
export class KeysResolver {
  constructor(
    private readonly keys: KeysService,
    private readonly owners: ApiKeyOwnersLoader,
  ) {}

  @Authorize(Permission.KEY_CREATE)
  @Mutation(() => CreatedApiKeyType)
  createApiKey(@CurrentActor() actor: Actor, @Args('input', { type: () => CreateApiKeyInput }) input: CreateApiKeyInput) {
    return this.keys.create(actor, { ...input });
  }

  @Authorize(Permission.KEY_READ)
  @Query(() => ApiKeyPageType, { description: "Your keys, newest first; admins and auditors see everyone's (or one user's with userId)" })
  async apiKeys(
    @CurrentActor() actor: Actor,
    @Args('first', { type: () => Int, nullable: true, description: 'At most 100; default 50' }) first?: number | null,
    @Args('after', { type: () => String, nullable: true, description: 'pageInfo.endCursor of the previous page' }) after?: string | null,
    @Args('userId', { type: () => ID, nullable: true }) userId?: string | null,
  ) {
    const page = await this.keys.page(actor, { first, after, userId });
    return { nodes: page.nodes, pageInfo: { endCursor: page.endCursor, hasNextPage: page.hasNextPage } };
  }

  @Authorize(Permission.KEY_READ)
  @Query(() => ApiKeyType, { description: 'One key (never its secret)' })
  apiKey(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }) id: string) {
    return this.keys.get(actor, id);
  }

  @Authorize(Permission.KEY_UPDATE)
  @Mutation(() => ApiKeyType, { description: "Changes a key's name, groups, quotas, tags or expiry; agents using it see the change at once" })
  updateApiKey(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }) id: string,
    @Args('input', { type: () => UpdateApiKeyInput }) input: UpdateApiKeyInput,
  ) {
    return this.keys.update(actor, id, { ...input });
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

  @ResolveField(() => UserType)
  async owner(@Parent() key: ApiKey, @Context() context: object): Promise<User> {
    // The foreign key cascades: a key without its owner is one deleted in this very moment.
    const owner = await this.owners.load(context, key.userId);
    if (!owner) throw notFound('User', key.userId);
    return owner;
  }
}

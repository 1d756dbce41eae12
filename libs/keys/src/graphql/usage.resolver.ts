import { Authorize, CurrentActor, Permission, type Actor } from '#auth';
import { Args, ID, Query, Resolver } from '@nestjs/graphql';
import { UsageService } from '../usage/usage.service.js';
import { UsageType } from './usage.type.js';

@Resolver(() => UsageType)
export class UsageResolver {
  constructor(private readonly usageService: UsageService) {}

  @Authorize(Permission.KEY_READ)
  @Query(() => UsageType, { description: 'tools/call usage of one key in [from, to), hourly resolution' })
  usage(
    @CurrentActor() actor: Actor,
    @Args('keyId', { type: () => ID }) keyId: string,
    @Args('from', { type: () => Date }) from: Date,
    @Args('to', { type: () => Date }) to: Date,
  ) {
    return this.usageService.report(actor, { keyId, from, to });
  }
}

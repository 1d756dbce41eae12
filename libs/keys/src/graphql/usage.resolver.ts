import { UseGuards } from '@nestjs/common';
import { Args, ID, Query, Resolver } from '@nestjs/graphql';
import { CurrentUser, UserAuthGuard, type User } from '#users';
import { UsageService } from '../usage/usage.service.js';
import { UsageType } from './usage.type.js';

@Resolver(() => UsageType)
@UseGuards(UserAuthGuard)
export class UsageResolver {
  constructor(private readonly usageService: UsageService) {}

  @Query(() => UsageType, { description: 'tools/call usage of one key in [from, to), hourly resolution' })
  usage(
    @CurrentUser() user: User,
    @Args('keyId', { type: () => ID }) keyId: string,
    @Args('from', { type: () => Date }) from: Date,
    @Args('to', { type: () => Date }) to: Date,
  ) {
    return this.usageService.report(user, { keyId, from, to });
  }
}

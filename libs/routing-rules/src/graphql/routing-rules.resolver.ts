import { UseGuards } from '@nestjs/common';
import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { CurrentUser, UserAuthGuard, type User } from '#users';
import { CreateRoutingRuleInput, UpdateRoutingRuleInput } from '../dto/routing-rule.inputs.js';
import type { RoutingRule } from '../routing-rule.entity.js';
import { RoutingRulesService } from '../routing-rules.service.js';
import { RouteExplanationType } from './route-explanation.type.js';
import { RoutingRuleType, RuleConditionsType, conditionsView } from './routing-rule.type.js';

@Resolver(() => RoutingRuleType)
@UseGuards(UserAuthGuard)
export class RoutingRulesResolver {
  constructor(private readonly rules: RoutingRulesService) {}

  @Mutation(() => RoutingRuleType, { description: "Group owners and admins; the group's servers only" })
  createRoutingRule(@CurrentUser() user: User, @Args('input', { type: () => CreateRoutingRuleInput }) input: CreateRoutingRuleInput) {
    return this.rules.create(user, { ...input });
  }

  @Mutation(() => RoutingRuleType)
  updateRoutingRule(
    @CurrentUser() user: User,
    @Args('id', { type: () => ID }) id: string,
    @Args('input', { type: () => UpdateRoutingRuleInput }) input: UpdateRoutingRuleInput,
  ) {
    return this.rules.update(user, id, { ...input });
  }

  @Mutation(() => Boolean)
  removeRoutingRule(@CurrentUser() user: User, @Args('id', { type: () => ID }) id: string) {
    return this.rules.remove(user, id);
  }

  @Query(() => [RoutingRuleType], { description: "The group's rules in evaluation order (ascending priority)" })
  routingRules(@CurrentUser() user: User, @Args('groupId', { type: () => ID }) groupId: string) {
    return this.rules.list(user, groupId);
  }

  @Query(() => RouteExplanationType, { description: 'Which rule a tools/call would match and where it would go; calls nothing' })
  explainRoute(
    @CurrentUser() user: User,
    @Args('groupId', { type: () => ID }) groupId: string,
    @Args('toolName', { type: () => String, description: 'As the agent calls it, e.g. everything__echo' }) toolName: string,
    @Args('arguments', { type: () => GraphQLJSON, nullable: true }) args?: unknown,
    @Args('keyId', { type: () => ID, nullable: true, description: 'The calling API key; without it, key conditions never match' })
    keyId?: string | null,
  ) {
    return this.rules.explain(user, { groupId, toolName, arguments: args, keyId });
  }

  @ResolveField(() => RuleConditionsType)
  conditions(@Parent() rule: RoutingRule) {
    return conditionsView(rule.conditions);
  }
}

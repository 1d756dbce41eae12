import { Authorize, CurrentActor, Permission, type Actor } from '#auth';
import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { CreateRoutingRuleInput, UpdateRoutingRuleInput } from '../dto/routing-rule.inputs.js';
import type { RoutingRule } from '../routing-rule.entity.js';
import { RoutingRulesService } from '../routing-rules.service.js';
import { RouteExplanationType } from './route-explanation.type.js';
import { RoutingRuleType, RuleConditionsType, conditionsView } from './routing-rule.type.js';

@Resolver(() => RoutingRuleType)
export class RoutingRulesResolver {
  constructor(private readonly rules: RoutingRulesService) {}

  @Authorize(Permission.GROUP_UPDATE)
  @Mutation(() => RoutingRuleType, { description: "Group owners and admins; the group's servers only" })
  createRoutingRule(@CurrentActor() actor: Actor, @Args('input', { type: () => CreateRoutingRuleInput }) input: CreateRoutingRuleInput) {
    return this.rules.create(actor, { ...input });
  }

  @Authorize(Permission.GROUP_UPDATE)
  @Mutation(() => RoutingRuleType)
  updateRoutingRule(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }) id: string,
    @Args('input', { type: () => UpdateRoutingRuleInput }) input: UpdateRoutingRuleInput,
  ) {
    return this.rules.update(actor, id, { ...input });
  }

  @Authorize(Permission.GROUP_UPDATE)
  @Mutation(() => Boolean)
  removeRoutingRule(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }) id: string) {
    return this.rules.remove(actor, id);
  }

  @Authorize(Permission.GROUP_READ)
  @Query(() => [RoutingRuleType], { description: "The group's rules in evaluation order (ascending priority)" })
  routingRules(@CurrentActor() actor: Actor, @Args('groupId', { type: () => ID }) groupId: string) {
    return this.rules.list(actor, groupId);
  }

  @Authorize(Permission.GROUP_READ)
  @Query(() => RouteExplanationType, { description: 'Which rule a tools/call would match and where it would go; calls nothing' })
  explainRoute(
    @CurrentActor() actor: Actor,
    @Args('groupId', { type: () => ID }) groupId: string,
    @Args('toolName', { type: () => String, description: 'As the agent calls it, e.g. everything__echo' }) toolName: string,
    @Args('arguments', { type: () => GraphQLJSON, nullable: true }) args?: unknown,
    @Args('keyId', { type: () => ID, nullable: true, description: 'The calling API key; without it, key conditions never match' })
    keyId?: string | null,
  ) {
    return this.rules.explain(actor, { groupId, toolName, arguments: args, keyId });
  }

  @ResolveField(() => RuleConditionsType)
  conditions(@Parent() rule: RoutingRule) {
    return conditionsView(rule.conditions);
  }
}

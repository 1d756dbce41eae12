import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { RuleActionType } from '../rule-definition.js';

@ObjectType('RouteExplanationRule')
export class RouteExplanationRuleType {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => Int) priority!: number;
}

@ObjectType('RouteExplanationAction')
export class RouteExplanationActionType {
  @Field(() => RuleActionType) type!: RuleActionType;
  @Field(() => ID, { nullable: true, description: 'ROUTE: the target; TIMEOUT: the namespace owner; FALLBACK: the first server tried' })
  serverId!: string | null;
  @Field(() => String, { nullable: true, description: "serverId's slug; null when that server is no longer in the group" })
  serverSlug!: string | null;
  @Field(() => ID, { nullable: true }) replicaId!: string | null;
  @Field(() => String, { nullable: true, description: 'DENY: what the agent is told' }) message!: string | null;
  @Field(() => Int, { nullable: true }) timeoutMs!: number | null;
  @Field(() => [ID], { nullable: true, description: 'FALLBACK: in the order tried' }) fallbackServerIds!: string[] | null;
}

@ObjectType('RouteExplanation')
export class RouteExplanationType {
  @Field(() => Boolean) matched!: boolean;
  @Field(() => RouteExplanationRuleType, { nullable: true }) rule!: RouteExplanationRuleType | null;
  @Field(() => RouteExplanationActionType, { nullable: true }) action!: RouteExplanationActionType | null;
  @Field(() => String, { nullable: true, description: 'The member server that serves the tool name: by the group\'s naming over its discovered tools, else by its <slug>__ prefix' })
  defaultServerSlug!: string | null;
  @Field(() => String, { description: 'One sentence for people' }) description!: string;
}

import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { ArgumentOp, RuleActionType, type JsonValue, type RuleConditions } from '../rule-definition.js';

registerEnumType(ArgumentOp, {
  name: 'ArgumentOp',
  valuesMap: {
    EQUALS: { description: 'The value at path deep-equals value' },
    REGEX: { description: 'The value at path is a string matching pattern' },
    RANGE: { description: 'The value at path is a number within [min, max]' },
  },
});
registerEnumType(RuleActionType, {
  name: 'RuleActionType',
  valuesMap: {
    ROUTE: { description: 'Call the same upstream tool on serverId (a server of the group) instead of the namespace owner' },
    DENY: { description: 'Refuse the call with message' },
    TIMEOUT: { description: 'Namespace routing with timeoutMs as the upstream timeout' },
    FALLBACK: { description: 'Try serverIds in order; the next only when the previous is unavailable (connection error, timeout)' },
  },
});

@ObjectType('ToolCondition', { description: 'Exactly one of glob and regex' })
export class ToolConditionType {
  @Field(() => String, { nullable: true, description: 'Anchored; * any run, ? one character' }) glob?: string | null;
  @Field(() => String, { nullable: true }) regex?: string | null;
}

@ObjectType('ArgumentCondition')
export class ArgumentConditionType {
  @Field(() => String, { description: 'Dotted path into the arguments: $.query.limit, items[0].name' }) path!: string;
  @Field(() => ArgumentOp) op!: ArgumentOp;
  @Field(() => GraphQLJSON, { nullable: true, description: 'EQUALS' }) value?: JsonValue;
  @Field(() => String, { nullable: true, description: 'REGEX' }) pattern?: string | null;
  @Field(() => Float, { nullable: true, description: 'RANGE' }) min?: number | null;
  @Field(() => Float, { nullable: true, description: 'RANGE' }) max?: number | null;
}

@ObjectType('KeyCondition', { description: "Matches when the calling key's id is listed or it carries one of the tags" })
export class KeyConditionType {
  @Field(() => [ID]) keyIds!: string[];
  @Field(() => [String]) tags!: string[];
}

@ObjectType('RuleConditions', { description: 'Every part given must match; none matches every call' })
export class RuleConditionsType {
  @Field(() => ToolConditionType, { nullable: true }) tool!: ToolConditionType | null;
  @Field(() => [ArgumentConditionType]) arguments!: ArgumentConditionType[];
  @Field(() => KeyConditionType, { nullable: true }) keys!: KeyConditionType | null;
}

@ObjectType('RuleAction')
export class RuleActionObjectType {
  @Field(() => RuleActionType) type!: RuleActionType;
  @Field(() => ID, { nullable: true, description: 'ROUTE' }) serverId?: string | null;
  @Field(() => ID, { nullable: true, description: 'ROUTE, optional' }) replicaId?: string | null;
  @Field(() => Int, { nullable: true, description: 'TIMEOUT; optional for ROUTE and FALLBACK' }) timeoutMs?: number | null;
  @Field(() => String, { nullable: true, description: 'DENY' }) message?: string | null;
  @Field(() => [ID], { nullable: true, description: 'FALLBACK' }) serverIds?: string[] | null;
}

@ObjectType('RoutingRule')
export class RoutingRuleType {
  @Field(() => ID) id!: string;
  @Field(() => ID) groupId!: string;
  @Field(() => String) name!: string;
  @Field(() => Int, { description: 'Evaluation order, ascending; unique within the group' }) priority!: number;
  @Field(() => Boolean) enabled!: boolean;
  @Field(() => RuleConditionsType) conditions!: RuleConditionsType;
  @Field(() => RuleActionObjectType) action!: RuleActionObjectType;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date) updatedAt!: Date;
}

/** Stored conditions leave absent parts out; GraphQL lists are never null. */
export function conditionsView(conditions: RuleConditions): RuleConditionsType {
  return {
    tool: conditions.tool ?? null,
    arguments: conditions.arguments ?? [],
    keys: conditions.keys ? { keyIds: conditions.keys.keyIds ?? [], tags: conditions.keys.tags ?? [] } : null,
  };
}

import { Field, Float, ID, InputType, Int } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { ArgumentOp, RuleActionType, type JsonValue } from '../rule-definition.js';

@InputType({ description: 'Exactly one of glob and regex, matched against the namespaced tool name (everything__echo)' })
export class ToolConditionInput {
  @Field(() => String, { nullable: true, description: 'Anchored; * any run of characters, ? one character' }) glob?: string | null;
  @Field(() => String, { nullable: true, description: 'JavaScript syntax, linear-time subset; unanchored unless you add ^ and $' })
  regex?: string | null;
}

@InputType()
export class ArgumentConditionInput {
  @Field(() => String, { description: 'Dotted path into the arguments: $.query.limit, items[0].name' }) path!: string;
  @Field(() => ArgumentOp) op!: ArgumentOp;
  @Field(() => GraphQLJSON, { nullable: true, description: 'EQUALS: any JSON value (null compares with null)' }) value?: JsonValue;
  @Field(() => String, { nullable: true, description: 'REGEX' }) pattern?: string | null;
  @Field(() => Float, { nullable: true, description: 'RANGE: lower bound, inclusive' }) min?: number | null;
  @Field(() => Float, { nullable: true, description: 'RANGE: upper bound, inclusive' }) max?: number | null;
}

@InputType({ description: "Matches when the calling key's id is listed or it carries one of the tags" })
export class KeyConditionInput {
  @Field(() => [ID], { nullable: true }) keyIds?: string[] | null;
  @Field(() => [String], { nullable: true }) tags?: string[] | null;
}

@InputType({ description: 'Every part given must match; none matches every call' })
export class RuleConditionsInput {
  @Field(() => ToolConditionInput, { nullable: true }) tool?: ToolConditionInput | null;
  @Field(() => [ArgumentConditionInput], { nullable: true }) arguments?: ArgumentConditionInput[] | null;
  @Field(() => KeyConditionInput, { nullable: true }) keys?: KeyConditionInput | null;
}

@InputType({ description: 'Give the fields the type uses: ROUTE serverId (replicaId, timeoutMs); DENY message; TIMEOUT timeoutMs; FALLBACK serverIds (timeoutMs)' })
export class RuleActionInput {
  @Field(() => RuleActionType) type!: RuleActionType;
  @Field(() => ID, { nullable: true, description: 'A server of the group' }) serverId?: string | null;
  @Field(() => ID, { nullable: true }) replicaId?: string | null;
  @Field(() => Int, { nullable: true, description: '100 to 600000 ms' }) timeoutMs?: number | null;
  @Field(() => String, { nullable: true }) message?: string | null;
  @Field(() => [ID], { nullable: true, description: 'Servers of the group, in the order tried' }) serverIds?: string[] | null;
}

@InputType()
export class CreateRoutingRuleInput {
  @Field(() => ID) groupId!: string;
  @Field(() => String) name!: string;
  @Field(() => Int, { description: 'Evaluation order, ascending; unique within the group' }) priority!: number;
  @Field(() => Boolean, { nullable: true, description: 'Default true' }) enabled?: boolean | null;
  @Field(() => RuleConditionsInput, { nullable: true, description: 'Absent: the rule matches every call' }) conditions?: RuleConditionsInput | null;
  @Field(() => RuleActionInput) action!: RuleActionInput;
}

@InputType({ description: 'Only the fields given change; conditions and action given replace the stored ones whole' })
export class UpdateRoutingRuleInput {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => Int, { nullable: true }) priority?: number | null;
  @Field(() => Boolean, { nullable: true }) enabled?: boolean | null;
  @Field(() => RuleConditionsInput, { nullable: true }) conditions?: RuleConditionsInput | null;
  @Field(() => RuleActionInput, { nullable: true }) action?: RuleActionInput | null;
}

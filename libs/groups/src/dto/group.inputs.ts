import { Field, InputType } from '@nestjs/graphql';
import { ToolFilterMode, ToolPinningMode } from '../group.entity.js';

const PINNING = 'When a member server changes a tool definition after it was approved: OFF ignores it, WARN reports it, ENFORCE also withholds the tool until approved';

@InputType()
export class CreateGroupInput {
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true, description: 'Derived from the name when absent; part of the endpoint URLs' }) slug?: string | null;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => ToolPinningMode, { nullable: true, description: `${PINNING}; default WARN` }) toolPinning?: ToolPinningMode | null;
}

@InputType({ description: 'Only the fields given change' })
export class UpdateGroupInput {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true, description: 'Changing it changes the endpoint URLs' }) slug?: string | null;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => ToolFilterMode, { nullable: true }) toolFilterMode?: ToolFilterMode | null;
  @Field(() => [String], { nullable: true, description: 'Tool names as agents see them, e.g. everything__echo' })
  toolFilter?: string[] | null;
  @Field(() => ToolPinningMode, { nullable: true, description: PINNING }) toolPinning?: ToolPinningMode | null;
}

import { Field, InputType } from '@nestjs/graphql';
import { ToolFilterMode, ToolPinningMode } from '../group.entity.js';
import { ToolNaming } from '../naming/tool-naming.js';

const PINNING = 'When a member server changes a tool definition after it was approved: OFF ignores it, WARN reports it, ENFORCE also withholds the tool until approved';

@InputType()
export class CreateGroupInput {
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true, description: 'Derived from the name when absent; part of the endpoint URLs' }) slug?: string | null;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => ToolPinningMode, { nullable: true, description: `${PINNING}; default WARN` }) toolPinning?: ToolPinningMode | null;
  @Field(() => ToolNaming, { nullable: true, description: 'Default PREFIX_WHEN_NEEDED' }) toolNaming?: ToolNaming | null;
}

@InputType({ description: 'Only the fields given change' })
export class UpdateGroupInput {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true, description: 'Changing it changes the endpoint URLs' }) slug?: string | null;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => ToolNaming, { nullable: true, description: 'Tool filters and routing rules keep matching: they match a tool by any of its names' })
  toolNaming?: ToolNaming | null;
  @Field(() => ToolFilterMode, { nullable: true }) toolFilterMode?: ToolFilterMode | null;
  @Field(() => [String], { nullable: true, description: 'Tool names as agents see them (echo, everything__echo); the prefixed form works in every naming mode' })
  toolFilter?: string[] | null;
  @Field(() => ToolPinningMode, { nullable: true, description: PINNING }) toolPinning?: ToolPinningMode | null;
}

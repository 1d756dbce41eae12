import { Field, InputType } from '@nestjs/graphql';
import { ToolFilterMode } from '../group.entity.js';

@InputType()
export class CreateGroupInput {
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true, description: 'Derived from the name when absent; part of the endpoint URLs' }) slug?: string | null;
  @Field(() => String, { nullable: true }) description?: string | null;
}

@InputType({ description: 'Only the fields given change' })
export class UpdateGroupInput {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true, description: 'Changing it changes the endpoint URLs' }) slug?: string | null;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => ToolFilterMode, { nullable: true }) toolFilterMode?: ToolFilterMode | null;
  @Field(() => [String], { nullable: true, description: 'Tool names as agents see them, e.g. everything__echo' })
  toolFilter?: string[] | null;
}

import { Field, ObjectType } from '@nestjs/graphql';

@ObjectType('ToolSummary')
export class ToolSummaryType {
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true }) description!: string | null;
}

@ObjectType('ResourceSummary')
export class ResourceSummaryType {
  @Field(() => String) uri!: string;
  @Field(() => String) name!: string;
}

@ObjectType('ResourceTemplateSummary')
export class ResourceTemplateSummaryType {
  @Field(() => String) uriTemplate!: string;
  @Field(() => String) name!: string;
}

@ObjectType('PromptSummary')
export class PromptSummaryType {
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true }) description!: string | null;
}

@ObjectType('ServerCapabilities', { description: 'What the server offered at its last successful test' })
export class ServerCapabilitiesType {
  @Field(() => [ToolSummaryType]) tools!: ToolSummaryType[];
  @Field(() => [ResourceSummaryType]) resources!: ResourceSummaryType[];
  @Field(() => [ResourceTemplateSummaryType]) resourceTemplates!: ResourceTemplateSummaryType[];
  @Field(() => [PromptSummaryType]) prompts!: PromptSummaryType[];
  @Field(() => String, { nullable: true }) serverName!: string | null;
  @Field(() => String, { nullable: true }) serverVersion!: string | null;
  @Field(() => String, { nullable: true }) protocolVersion!: string | null;
  @Field(() => Date) discoveredAt!: Date;
}

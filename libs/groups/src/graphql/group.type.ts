import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ServerType } from '#servers';
import { ToolFilterMode } from '../group.entity.js';

registerEnumType(ToolFilterMode, { name: 'ToolFilterMode' });

@ObjectType('GroupEndpoints')
export class GroupEndpointsType {
  @Field(() => String, { description: 'Streamable HTTP endpoint (current MCP clients)' }) streamableHttp!: string;
  @Field(() => String, { description: 'Legacy HTTP+SSE endpoint' }) sse!: string;
}

@ObjectType('Group')
export class GroupType {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String) slug!: string;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => ID) ownerId!: string;
  @Field(() => ToolFilterMode) toolFilterMode!: ToolFilterMode;
  @Field(() => [String], { description: 'Namespaced tool names the filter allows or denies' }) toolFilter!: string[];
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date) updatedAt!: Date;
  @Field(() => [ServerType], { description: 'Member servers in order' }) servers!: ServerType[];
  @Field(() => GroupEndpointsType) endpoints!: GroupEndpointsType;
  @Field(() => String, { description: 'JSON for Cursor / Claude Desktop / VS Code; replace <YOUR_API_KEY>' }) clientConfig!: string;
}

import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ServerType } from '#servers';
import { ToolFilterMode, ToolPinningMode } from '../group.entity.js';
import { ClientConfigType } from './client-config.type.js';

registerEnumType(ToolFilterMode, { name: 'ToolFilterMode' });
registerEnumType(ToolPinningMode, { name: 'ToolPinningMode' });

@ObjectType('GroupEndpoints')
export class GroupEndpointsType {
  @Field(() => String, { description: 'Streamable HTTP endpoint (current MCP clients)' }) streamableHttp!: string;
  @Field(() => String, { description: 'Legacy HTTP+SSE endpoint' }) sse!: string;
}

@ObjectType('GroupTool', { description: 'A member server\'s tool under the name agents see' })
export class GroupToolType {
  @Field(() => String, { description: 'As agents see and call it, e.g. everything__echo (what toolFilter lists)' }) name!: string;
  @Field(() => String, { description: "The server's own name for the tool" }) toolName!: string;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => ID) serverId!: string;
  @Field(() => String) serverSlug!: string;
  @Field(() => Boolean, { description: 'The tool filter lets agents see it' }) exposed!: boolean;
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
  @Field(() => ToolPinningMode, { description: 'What a changed, unapproved tool definition of a member server does here (tool pinning)' })
  toolPinning!: ToolPinningMode;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date) updatedAt!: Date;
  @Field(() => [ServerType], { description: 'Member servers in order' }) servers!: ServerType[];
  @Field(() => [GroupToolType], {
    description:
      "Every member server's tools as of its last successful test (testServer), named as agents see them, in member order; members never tested add none",
  })
  tools!: GroupToolType[];
  @Field(() => GroupEndpointsType) endpoints!: GroupEndpointsType;
  @Field(() => [ClientConfigType], { description: 'One snippet per MCP client (Cursor, Claude Desktop, Claude Code, VS Code, the MCP Inspector)' })
  clientConfigs!: ClientConfigType[];
  @Field(() => String, {
    description: "Cursor's mcp.json snippet; replace <YOUR_API_KEY>",
    deprecationReason: 'Use clientConfigs: one snippet per client (this is its CURSOR entry)',
  })
  clientConfig!: string;
}

import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ServerType } from '#servers';
import { ToolFilterMode, ToolPinningMode } from '../group.entity.js';
import { ToolNaming } from '../naming/tool-naming.js';
import { ClientConfigType } from './client-config.type.js';
import { NamingCollisionType } from './naming-collision.type.js';

registerEnumType(ToolFilterMode, { name: 'ToolFilterMode' });
registerEnumType(ToolPinningMode, { name: 'ToolPinningMode' });

@ObjectType('GroupEndpoints')
export class GroupEndpointsType {
  @Field(() => String, { description: 'Streamable HTTP endpoint (current MCP clients)' }) streamableHttp!: string;
  @Field(() => String, { description: 'Legacy HTTP+SSE endpoint' }) sse!: string;
}

@ObjectType('GroupTool', { description: 'A member server\'s tool under the name agents see' })
export class GroupToolType {
  @Field(() => String, { description: 'As agents see and call it, e.g. echo or everything__echo (depends on the group\'s toolNaming)' }) name!: string;
  @Field(() => String, {
    description: 'With its server prefix (everything__echo) whatever the naming mode: tool filters and routing rules match it as well as name and toolName',
  })
  qualifiedName!: string;
  @Field(() => String, { description: "The server's own name for the tool" }) toolName!: string;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => ID) serverId!: string;
  @Field(() => String) serverSlug!: string;
  @Field(() => Boolean, { description: 'Agents see it: the tool filter lets it through and no earlier member serves the same name' }) exposed!: boolean;
}

@ObjectType('Group')
export class GroupType {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String) slug!: string;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => ID) ownerId!: string;
  @Field(() => ToolNaming) toolNaming!: ToolNaming;
  @Field(() => ToolFilterMode) toolFilterMode!: ToolFilterMode;
  @Field(() => [String], {
    description: "Tool names the filter allows or denies; an entry matches a tool's name as agents see it, its <server>__<tool> form or its own name",
  })
  toolFilter!: string[];
  @Field(() => ToolPinningMode, { description: 'What a changed, unapproved tool definition of a member server does here (tool pinning)' })
  toolPinning!: ToolPinningMode;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date) updatedAt!: Date;
  @Field(() => [ServerType], { description: 'Member servers in order' }) servers!: ServerType[];
  @Field(() => [GroupToolType], {
    description:
      "Every enabled member server's tools as of its last successful test (testServer), named as agents see them, in member order; members never tested add none",
  })
  tools!: GroupToolType[];
  @Field(() => [NamingCollisionType], {
    description: 'Tool and prompt names and resource URIs two or more members expose, and how toolNaming resolved each; from the same discovered lists as tools',
  })
  namingCollisions!: NamingCollisionType[];
  @Field(() => GroupEndpointsType) endpoints!: GroupEndpointsType;
  @Field(() => [ClientConfigType], { description: 'One snippet per MCP client (Cursor, Claude Desktop, Claude Code, VS Code, the MCP Inspector)' })
  clientConfigs!: ClientConfigType[];
  @Field(() => String, {
    description: "Cursor's mcp.json snippet; replace <YOUR_API_KEY>",
    deprecationReason: 'Use clientConfigs: one snippet per client (this is its CURSOR entry)',
  })
  clientConfig!: string;
}

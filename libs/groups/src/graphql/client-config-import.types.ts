import { Field, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ServerTransport } from '#servers';
import { ClientConfigFormat } from '../config-import/client-config-format.js';
import { ClientConfigType } from './client-config.type.js';
import { GroupType } from './group.type.js';

registerEnumType(ClientConfigFormat, {
  name: 'ClientConfigFormat',
  description: 'MCP_SERVERS: { "mcpServers": … } (Claude Desktop, Cursor); VSCODE: { "servers": … } (VS Code mcp.json)',
});

@InputType()
export class ImportClientConfigInput {
  @Field(() => ClientConfigFormat) format!: ClientConfigFormat;
  @Field(() => String, { description: 'The config file as pasted (at most 256 KiB); env and header values are stored encrypted' }) json!: string;
  @Field(() => String, { nullable: true, description: 'Default "Imported servers"' }) groupName?: string | null;
  @Field(() => String, { nullable: true, description: 'Derived from the group name when absent (with a -2… suffix if taken)' }) groupSlug?: string | null;
  @Field(() => Boolean, { nullable: true, description: 'Check everything and return what would be created, creating nothing' }) dryRun?: boolean | null;
}

@ObjectType('ImportedServer', { description: 'A server the import creates (or would create, on a dry run); secret values never appear' })
export class ImportedServerType {
  @Field(() => ID, { nullable: true, description: 'Null on a dry run' }) id!: string | null;
  @Field(() => String, { description: "The entry's name in the file" }) key!: string;
  @Field(() => String) name!: string;
  @Field(() => String) slug!: string;
  @Field(() => ServerTransport) transport!: ServerTransport;
  @Field(() => String, { nullable: true }) command!: string | null;
  @Field(() => [String]) args!: string[];
  @Field(() => String, { nullable: true }) url!: string | null;
  @Field(() => [String], { description: 'Names of the env variables stored (encrypted)' }) envNames!: string[];
  @Field(() => [String], { description: 'Names of the headers stored (encrypted)' }) headerNames!: string[];
  @Field(() => Boolean) enabled!: boolean;
}

@ObjectType('PendingValue', { description: 'A value the file only refers to (${input:…}, ${env:…}): stored as ${VARIABLE}, filled from a credential of that name' })
export class PendingValueType {
  @Field(() => String) serverSlug!: string;
  @Field(() => String, { description: 'ENV or HEADER' }) kind!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { description: 'As written in the file' }) reference!: string;
  @Field(() => String, { description: 'The credential that fills it (Settings → Credentials)' }) variable!: string;
  @Field(() => String, { nullable: true }) description!: string | null;
}

@ObjectType('ImportClientConfigResult')
export class ImportClientConfigResultType {
  @Field(() => Boolean) dryRun!: boolean;
  @Field(() => GroupType, { nullable: true, description: 'The new group; null on a dry run' }) group!: unknown;
  @Field(() => String) groupName!: string;
  @Field(() => String) groupSlug!: string;
  @Field(() => [ImportedServerType]) servers!: ImportedServerType[];
  @Field(() => [PendingValueType]) pendingValues!: PendingValueType[];
  @Field(() => [String], { description: 'What the file says that is not imported' }) warnings!: string[];
}

@ObjectType('ClientConfigExport')
export class ClientConfigExportType {
  @Field(() => ClientConfigType, { description: "The one entry agents should use: the group's endpoint with an API key" }) groupEndpoint!: ClientConfigType;
  @Field(() => String, {
    description: 'The member servers\' own definitions (to run them without the hub); every secret is a ${env:…} / ${input:…} reference, never the value',
  })
  memberServers!: string;
  @Field(() => [String], { description: 'Members left out: you may not read their definition' }) omittedServers!: string[];
}

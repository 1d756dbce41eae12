import { Field, ObjectType, registerEnumType } from '@nestjs/graphql';
import { McpClientId, SnippetLanguage } from '../client-configs.js';

registerEnumType(McpClientId, { name: 'McpClientId', description: 'An MCP client the hub writes a configuration snippet for' });
registerEnumType(SnippetLanguage, { name: 'SnippetLanguage' });

@ObjectType('ClientConfig', { description: "How one MCP client connects to the group's Streamable HTTP endpoint, in the format that client documents" })
export class ClientConfigType {
  @Field(() => McpClientId) client!: McpClientId;
  @Field(() => String) label!: string;
  @Field(() => String, { description: 'Where the snippet goes (a file, or a terminal)' }) location!: string;
  @Field(() => SnippetLanguage) language!: SnippetLanguage;
  @Field(() => String, { description: 'Paste-ready text; put the API key in place of keyPlaceholder' }) text!: string;
  @Field(() => String, {
    nullable: true,
    description: 'The text to replace with an API key (never a real key: keys are shown once); null when the client prompts for the key itself',
  })
  keyPlaceholder!: string | null;
  @Field(() => String, { description: "The client's documentation of this format" }) docsUrl!: string;
}

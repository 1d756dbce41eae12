import { Field, InputType } from '@nestjs/graphql';
import { ServerCredentialScope, ServerTransport } from '../mcp-server.entity.js';

@InputType()
export class SecretEntryInput {
  @Field(() => String) name!: string;
  @Field(() => String, { description: 'Stored encrypted; never returned' }) value!: string;
}

@InputType()
export class SecretEntryUpdateInput {
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true, description: 'null or absent keeps the stored value of this name' }) value?: string | null;
}

@InputType()
export class RegisterServerInput {
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true, description: 'Derived from the name when absent' }) slug?: string | null;
  @Field(() => ServerTransport) transport!: ServerTransport;
  @Field(() => String, { nullable: true, description: 'STDIO only (admins): the program to run' }) command?: string | null;
  @Field(() => [String], { nullable: true }) args?: string[] | null;
  @Field(() => [SecretEntryInput], { nullable: true, description: 'STDIO only' }) env?: SecretEntryInput[] | null;
  @Field(() => String, { nullable: true, description: 'STDIO only: absolute working directory' }) cwd?: string | null;
  @Field(() => String, { nullable: true, description: 'SSE and STREAMABLE_HTTP: http(s) URL' }) url?: string | null;
  @Field(() => [SecretEntryInput], { nullable: true, description: 'SSE and STREAMABLE_HTTP only' }) headers?: SecretEntryInput[] | null;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => [String], { nullable: true }) tags?: string[] | null;
  @Field(() => Boolean, { nullable: true, description: 'Default true' }) enabled?: boolean | null;
  @Field(() => ServerCredentialScope, { nullable: true, description: 'Default SHARED' }) credentialScope?: ServerCredentialScope | null;
}

@InputType({ description: 'Only the fields given change; env/headers given replace the whole list' })
export class UpdateServerInput {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true }) slug?: string | null;
  @Field(() => ServerTransport, { nullable: true }) transport?: ServerTransport | null;
  @Field(() => String, { nullable: true }) command?: string | null;
  @Field(() => [String], { nullable: true }) args?: string[] | null;
  @Field(() => [SecretEntryUpdateInput], { nullable: true }) env?: SecretEntryUpdateInput[] | null;
  @Field(() => String, { nullable: true }) cwd?: string | null;
  @Field(() => String, { nullable: true }) url?: string | null;
  @Field(() => [SecretEntryUpdateInput], { nullable: true }) headers?: SecretEntryUpdateInput[] | null;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => [String], { nullable: true }) tags?: string[] | null;
  @Field(() => Boolean, { nullable: true }) enabled?: boolean | null;
  @Field(() => ServerCredentialScope, { nullable: true }) credentialScope?: ServerCredentialScope | null;
}

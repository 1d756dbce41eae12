import { Field, GraphQLISODateTime, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { CredentialScope } from '../credential.entity.js';

registerEnumType(CredentialScope, { name: 'CredentialScope', description: 'Whose value: a `${NAME}` is filled from USER, then TEAM, then HUB' });

@ObjectType('Credential', { description: 'A named secret servers refer to as ${NAME}; its value is write-only' })
export class CredentialType {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => CredentialScope) scope!: CredentialScope;
  @Field(() => ID, { nullable: true, description: 'TEAM credentials' }) teamId!: string | null;
  @Field(() => String, { nullable: true, description: 'TEAM credentials' }) teamName!: string | null;
  @Field(() => String, { description: 'The last 2 characters of long values only' }) maskedValue!: string;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
  @Field(() => GraphQLISODateTime) updatedAt!: Date;
}

@InputType()
export class SetCredentialInput {
  @Field(() => String, { description: 'A variable name: letters, digits and _' }) name!: string;
  @Field(() => String, { description: 'Stored encrypted; never returned' }) value!: string;
  @Field(() => CredentialScope, { nullable: true, description: 'Default USER (your own)' }) scope?: CredentialScope | null;
  @Field(() => ID, { nullable: true, description: 'TEAM credentials: the team (its OWNERs set them)' }) teamId?: string | null;
}

@ObjectType('ServerVariable', { description: 'A ${NAME} a server refers to, and whose credential would fill it for you' })
export class ServerVariableType {
  @Field(() => String) name!: string;
  @Field(() => CredentialScope, { nullable: true, description: 'null: you have none; calls that need it are refused, naming it' }) source!: CredentialScope | null;
}

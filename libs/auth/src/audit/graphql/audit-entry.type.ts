import { Field, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { AuditOutcome } from '../audit-entry.entity.js';

registerEnumType(AuditOutcome, { name: 'AuditOutcome', description: 'SUCCESS, DENIED (not allowed, not found, not signed in, throttled) or FAILED' });

@ObjectType('AuditFieldChange', { description: 'A changed field; secret fields show "[secret changed]" and never a value' })
export class AuditFieldChangeType {
  @Field(() => String) name!: string;
  @Field(() => Boolean) secret!: boolean;
  @Field(() => GraphQLJSON, { nullable: true, description: 'Absent for new rows and secret fields' }) oldValue!: unknown;
  @Field(() => GraphQLJSON, { nullable: true }) newValue!: unknown;
  @Field(() => [String], { nullable: true, description: 'Secret name/value lists (env, headers): the names whose value came, went or changed' })
  entries!: string[] | null;
}

@ObjectType('AuditChange', { description: 'One row the operation inserted, updated or deleted' })
export class AuditChangeType {
  @Field(() => String) entity!: string;
  @Field(() => String, { nullable: true }) entityId!: string | null;
  @Field(() => String, { description: 'INSERT, UPDATE or DELETE' }) operation!: string;
  @Field(() => [AuditFieldChangeType]) fields!: AuditFieldChangeType[];
}

@ObjectType('AuditEntry')
export class AuditEntryType {
  @Field(() => ID) id!: string;
  @Field(() => Date) at!: Date;
  @Field(() => ID, { nullable: true, description: 'Kept after the user is deleted' }) actorId!: string | null;
  @Field(() => String, { nullable: true, description: "The actor's email then; for a refused sign-in, the account tried" }) actorLabel!: string | null;
  @Field(() => String, { nullable: true }) authMethod!: string | null;
  @Field(() => String, { description: 'The mutation, e.g. updateServer' }) action!: string;
  @Field(() => String, { nullable: true }) targetType!: string | null;
  @Field(() => String, { nullable: true }) targetId!: string | null;
  @Field(() => [AuditChangeType]) changes!: AuditChangeType[];
  @Field(() => AuditOutcome) outcome!: AuditOutcome;
  @Field(() => String, { nullable: true }) errorCode!: string | null;
  @Field(() => String, { nullable: true }) errorMessage!: string | null;
  @Field(() => String, { nullable: true }) ip!: string | null;
  @Field(() => String, { nullable: true }) userAgent!: string | null;
  @Field(() => String, { nullable: true, description: 'The X-Request-Id of the request' }) correlationId!: string | null;
}

@ObjectType('AuditLogPageInfo')
export class AuditLogPageInfoType {
  @Field(() => String, { nullable: true, description: 'Pass as `after` for the next page' }) endCursor!: string | null;
  @Field(() => Boolean) hasNextPage!: boolean;
}

@ObjectType('AuditLogPage')
export class AuditLogPageType {
  @Field(() => [AuditEntryType], { description: 'Newest first' }) nodes!: AuditEntryType[];
  @Field(() => AuditLogPageInfoType) pageInfo!: AuditLogPageInfoType;
}

@InputType('AuditLogFilter')
export class AuditLogFilterInput {
  @Field(() => Date, { nullable: true, description: 'Entries at or after' }) from?: Date | null;
  @Field(() => Date, { nullable: true, description: 'Entries before' }) to?: Date | null;
  @Field(() => ID, { nullable: true }) actorId?: string | null;
  @Field(() => String, { nullable: true, description: 'A mutation name, e.g. updateServer' }) action?: string | null;
  @Field(() => String, { nullable: true, description: 'e.g. Server, Group, ApiKey, User, RoutingRule' }) targetType?: string | null;
  @Field(() => String, { nullable: true }) targetId?: string | null;
  @Field(() => AuditOutcome, { nullable: true }) outcome?: AuditOutcome | null;
}

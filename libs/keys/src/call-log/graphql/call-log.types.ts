import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { CallOutcome } from '../call-log-entry.js';
import { UsageDimension } from '../call-log.repository.js';
import { CaptureTarget } from '../capture/call-capture.entity.js';

registerEnumType(CallOutcome, { name: 'CallOutcome', description: 'How an agent call ended' });
registerEnumType(UsageDimension, { name: 'UsageDimension', description: 'What usage analytics rows are grouped by' });
registerEnumType(CaptureTarget, { name: 'CallCaptureTarget', description: 'What a DEBUG capture applies to' });

@InputType()
export class CallLogFilterInput {
  @Field(() => Date, { nullable: true, description: 'Entries at or after this time' }) from?: Date | null;
  @Field(() => Date, { nullable: true, description: 'Entries before this time' }) to?: Date | null;
  @Field(() => ID, { nullable: true }) keyId?: string | null;
  @Field(() => ID, { nullable: true, description: "The calling key's owner" }) userId?: string | null;
  @Field(() => ID, { nullable: true }) groupId?: string | null;
  @Field(() => ID, { nullable: true }) serverId?: string | null;
  @Field(() => String, { nullable: true, description: 'Tool or prompt name as agents call it (server__tool), or a resource URI' }) tool?: string | null;
  @Field(() => CallOutcome, { nullable: true }) outcome?: CallOutcome | null;
  @Field(() => Boolean, { nullable: true, description: 'true: only calls that did not end OK (every failure); false: only calls that ended OK' })
  failed?: boolean | null;
  @Field(() => String, { nullable: true, description: 'tools/call, resources/read or prompts/get' }) method?: string | null;
}

@ObjectType('CallLogEntry')
export class CallLogEntryType {
  @Field(() => ID) id!: string;
  @Field(() => Date) at!: Date;
  @Field(() => ID) keyId!: string;
  @Field(() => String, { nullable: true, description: 'Null when the key was deleted since' }) keyName!: string | null;
  @Field(() => ID) userId!: string;
  @Field(() => ID, { nullable: true }) groupId!: string | null;
  @Field(() => String, { nullable: true }) groupSlug!: string | null;
  @Field(() => ID, { nullable: true, description: 'The server that served (or failed) the call; null when the hub answered itself' }) serverId!: string | null;
  @Field(() => String, { nullable: true }) serverSlug!: string | null;
  @Field(() => ID, { nullable: true }) replicaId!: string | null;
  @Field(() => String) method!: string;
  @Field(() => String, { nullable: true, description: 'Tool or prompt name as the agent sent it, or the resource URI' }) name!: string | null;
  @Field(() => CallOutcome) outcome!: CallOutcome;
  @Field(() => Float) latencyMs!: number;
  @Field(() => String, { nullable: true, description: 'Error text, bounded and scrubbed of credentials' }) error!: string | null;
  @Field(() => String, { nullable: true, description: 'X-Request-Id of the HTTP request that carried the call' }) correlationId!: string | null;
  @Field(() => String, { nullable: true, description: 'JSON, only during a DEBUG capture: secrets redacted, truncated to 8 KiB' }) arguments!: string | null;
  @Field(() => String, { nullable: true, description: 'JSON, only during a DEBUG capture: secrets redacted, truncated to 8 KiB' }) result!: string | null;
}

@ObjectType('CallLogPage')
export class CallLogPageType {
  @Field(() => [CallLogEntryType], { description: 'Newest first' }) entries!: CallLogEntryType[];
  @Field(() => String, { nullable: true, description: 'Pass as `after` for the next page' }) endCursor!: string | null;
  @Field(() => Boolean) hasNextPage!: boolean;
}

@ObjectType('UsageAnalyticsRow')
export class UsageAnalyticsRowType {
  @Field(() => String, { nullable: true, description: 'Key, user, group or server id, or the tool name; null for calls without one (e.g. refused before routing)' })
  id!: string | null;
  @Field(() => String, { nullable: true, description: 'Key name, user email, group or server slug, tool name' }) label!: string | null;
  @Field(() => Int) calls!: number;
  @Field(() => Int, { description: 'Calls with any outcome but OK' }) errors!: number;
  @Field(() => Float, { nullable: true, description: 'Median latency of the calls that reached a server' }) p50LatencyMs!: number | null;
  @Field(() => Float, { nullable: true, description: '95th percentile latency of the calls that reached a server' }) p95LatencyMs!: number | null;
}

@ObjectType('CallCapture')
export class CallCaptureType {
  @Field(() => CaptureTarget) targetKind!: CaptureTarget;
  @Field(() => ID) targetId!: string;
  @Field(() => ID, { description: 'Who switched it on' }) enabledBy!: string;
  @Field(() => Date) expiresAt!: Date;
}

@ObjectType('CallSeriesBucket', { description: 'Calls in [start, start + bucketSeconds)' })
export class CallSeriesBucketType {
  @Field(() => Date) start!: Date;
  @Field(() => Int) calls!: number;
  @Field(() => Int, { description: 'Calls with any outcome but OK' }) errors!: number;
}

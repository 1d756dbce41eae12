import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('UsageLine')
export class UsageLineType {
  @Field(() => ID) serverId!: string;
  @Field(() => String) serverSlug!: string;
  @Field(() => String, { nullable: true, description: 'Upstream tool name (byTool only)' }) tool!: string | null;
  @Field(() => Int) calls!: number;
  @Field(() => Int) errors!: number;
  @Field(() => Float) avgLatencyMs!: number;
  @Field(() => Float) maxLatencyMs!: number;
}

@ObjectType('UsageHour')
export class UsageHourType {
  @Field(() => Date, { description: 'Start of the hour' }) hour!: Date;
  @Field(() => Int) calls!: number;
  @Field(() => Int) errors!: number;
  @Field(() => Float) avgLatencyMs!: number;
  @Field(() => Float) maxLatencyMs!: number;
}

@ObjectType('Usage')
export class UsageType {
  @Field(() => ID) keyId!: string;
  @Field(() => Date) from!: Date;
  @Field(() => Date) to!: Date;
  @Field(() => Int) calls!: number;
  @Field(() => Int) errors!: number;
  @Field(() => Float) avgLatencyMs!: number;
  @Field(() => [UsageLineType]) byServer!: UsageLineType[];
  @Field(() => [UsageLineType]) byTool!: UsageLineType[];
  @Field(() => [UsageHourType], { description: 'The hours that saw calls, oldest first (hours without calls are left out)' }) byHour!: UsageHourType[];
}

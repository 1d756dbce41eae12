import { Field, ID, InputType, Int } from '@nestjs/graphql';

/** Leave a field out to keep it; null clears it. */
@InputType()
export class UpdateApiKeyInput {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => [ID], { nullable: true, description: "Groups this key may use; empty or null = all of the owner's groups" })
  groupIds?: string[] | null;
  @Field(() => [String], { nullable: true, description: 'Labels routing rules can match on; null or empty = none' }) tags?: string[] | null;
  @Field(() => Date, { nullable: true, description: 'null = never expires' }) expiresAt?: Date | null;
  @Field(() => Int, { nullable: true, description: 'tools/call per minute; null = unlimited' }) perMinute?: number | null;
  @Field(() => Int, { nullable: true, description: 'tools/call per day; null = unlimited' }) perDay?: number | null;
}

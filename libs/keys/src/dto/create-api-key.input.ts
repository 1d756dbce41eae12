import { Field, ID, InputType, Int } from '@nestjs/graphql';

@InputType()
export class CreateApiKeyInput {
  @Field(() => String) name!: string;
  @Field(() => [ID], { nullable: true, description: 'Groups this key may use; empty or null = all of the owner\'s groups' })
  groupIds?: string[] | null;
  @Field(() => [String], { nullable: true, description: 'Labels routing rules can match on: a-z, 0-9, "_" and "-", at most 20' })
  tags?: string[] | null;
  @Field(() => Date, { nullable: true }) expiresAt?: Date | null;
  @Field(() => Int, { nullable: true, description: 'tools/call per minute; null = unlimited' }) perMinute?: number | null;
  @Field(() => Int, { nullable: true, description: 'tools/call per day; null = unlimited' }) perDay?: number | null;
}

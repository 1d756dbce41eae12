import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { UserType } from '#users';

@ObjectType('ApiKey')
export class ApiKeyType {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { description: 'Public part of the key (mcph_<publicId>), safe to display' }) prefix!: string;
  @Field(() => ID) userId!: string;
  @Field(() => UserType, { description: 'Who the key acts for' }) owner?: UserType;
  @Field(() => [ID]) groupIds!: string[];
  @Field(() => [String], { description: 'Labels routing rules can match on' }) tags!: string[];
  @Field(() => Date, { nullable: true }) expiresAt!: Date | null;
  @Field(() => Date, { nullable: true }) revokedAt!: Date | null;
  @Field(() => Int, { nullable: true }) perMinute!: number | null;
  @Field(() => Int, { nullable: true }) perDay!: number | null;
  @Field(() => Date, { nullable: true }) lastUsedAt!: Date | null;
  @Field(() => Date) createdAt!: Date;
}

@ObjectType('CreatedApiKey')
export class CreatedApiKeyType {
  @Field(() => String, { description: 'The full key. Shown only in this response; store it now.' }) secret!: string;
  @Field(() => ApiKeyType) apiKey!: ApiKeyType;
}

@ObjectType('ApiKeyPageInfo')
export class ApiKeyPageInfoType {
  @Field(() => String, { nullable: true, description: 'Pass as `after` for the next page' }) endCursor!: string | null;
  @Field(() => Boolean) hasNextPage!: boolean;
}

@ObjectType('ApiKeyPage')
export class ApiKeyPageType {
  @Field(() => [ApiKeyType], { description: 'Newest first' }) nodes!: ApiKeyType[];
  @Field(() => ApiKeyPageInfoType) pageInfo!: ApiKeyPageInfoType;
}

import { Field, ObjectType } from '@nestjs/graphql';
import { ServerType } from './server.type.js';

@ObjectType('ServerPageInfo')
export class ServerPageInfoType {
  @Field(() => String, { nullable: true, description: 'Pass as `after` for the next page' }) endCursor!: string | null;
  @Field(() => Boolean) hasNextPage!: boolean;
}

@ObjectType('ServerPage')
export class ServerPageType {
  @Field(() => [ServerType], { description: 'Oldest first' }) nodes!: ServerType[];
  @Field(() => ServerPageInfoType) pageInfo!: ServerPageInfoType;
}

import { Field, ID, ObjectType } from '@nestjs/graphql';
import { AuthMethod } from '../user.entity.js';

@ObjectType('SignInSession', { description: 'One sign-in of yours on one device; revoking it signs that device out' })
export class SignInSessionType {
  @Field(() => ID) id!: string;
  @Field(() => AuthMethod) method!: AuthMethod;
  @Field(() => String, { nullable: true, description: 'Address the sign-in came from' }) ip!: string | null;
  @Field(() => String, { nullable: true }) userAgent!: string | null;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date, { description: 'Sign-in or the last token refresh' }) lastUsedAt!: Date;
  @Field(() => Date, { description: 'Ends then unless refreshed before' }) expiresAt!: Date;
  @Field(() => Boolean, { description: 'The session of the token making this request' }) current!: boolean;
}

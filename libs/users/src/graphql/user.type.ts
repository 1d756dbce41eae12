import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { AuthMethod, Role } from '../user.entity.js';

registerEnumType(Role, { name: 'Role' });
registerEnumType(AuthMethod, { name: 'AuthMethod', description: 'How a person proved who they are' });

@ObjectType('User')
export class UserType {
  @Field(() => ID) id!: string;
  @Field(() => String) email!: string;
  @Field(() => String, { nullable: true }) displayName!: string | null;
  @Field(() => Role) role!: Role;
  @Field(() => Boolean) disabled!: boolean;
  @Field(() => Boolean, { description: 'The password was generated or set by an admin: the dashboard asks to change it' })
  passwordChangeRequired!: boolean;
  @Field(() => Date) createdAt!: Date;
}

@ObjectType('UserPage')
export class UserPageType {
  @Field(() => [UserType], { description: 'By email' }) nodes!: UserType[];
  @Field(() => String, { nullable: true, description: 'Pass as `after` for the next page' }) endCursor!: string | null;
  @Field(() => Boolean) hasNextPage!: boolean;
}

@ObjectType('AuthPayload')
export class AuthPayloadType {
  @Field(() => String) accessToken!: string;
  @Field(() => String) refreshToken!: string;
  @Field(() => Number, { description: 'Access token lifetime in seconds' }) expiresIn!: number;
  @Field(() => UserType) user!: UserType;
}

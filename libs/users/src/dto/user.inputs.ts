import { Field, InputType } from '@nestjs/graphql';
import { Role } from '../user.entity.js';

@InputType()
export class CreateUserInput {
  @Field(() => String) email!: string;
  @Field(() => String) password!: string;
  @Field(() => Role, { nullable: true }) role?: Role;
  @Field(() => String, { nullable: true }) displayName?: string | null;
}

@InputType()
export class UpdateUserInput {
  @Field(() => String, { nullable: true }) email?: string;
  @Field(() => String, { nullable: true }) password?: string;
  @Field(() => Role, { nullable: true }) role?: Role;
  @Field(() => String, { nullable: true }) displayName?: string | null;
  @Field(() => Boolean, { nullable: true }) disabled?: boolean;
}

@InputType('UserFilter')
export class UserFilterInput {
  @Field(() => String, { nullable: true, description: 'Part of the email or display name, any case' }) search?: string | null;
  @Field(() => Role, { nullable: true }) role?: Role | null;
  @Field(() => Boolean, { nullable: true }) disabled?: boolean | null;
}

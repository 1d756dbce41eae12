import { Field, InputType } from '@nestjs/graphql';

@InputType()
export class CreateTeamInput {
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true, description: 'Derived from the name when omitted' }) slug?: string | null;
}

@InputType()
export class UpdateTeamInput {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true }) slug?: string | null;
}

import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { AccessLevel, TeamRole } from '#auth';

registerEnumType(TeamRole, { name: 'TeamRole', description: 'OWNERs manage the team and its members' });
registerEnumType(AccessLevel, { name: 'AccessLevel', description: 'VIEWER sees and uses, EDITOR also changes, OWNER also deletes and shares' });

@ObjectType('TeamMember')
export class TeamMemberType {
  @Field(() => ID) userId!: string;
  @Field(() => String) email!: string;
  @Field(() => String, { nullable: true }) displayName!: string | null;
  @Field(() => TeamRole) role!: TeamRole;
  @Field(() => Date) joinedAt!: Date;
}

@ObjectType('Team')
export class TeamType {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { description: 'Names the team in AZURE_AD_TEAM_MAPPING' }) slug!: string;
  @Field(() => Date) createdAt!: Date;
  @Field(() => [TeamMemberType], { description: 'Owners first' }) members!: TeamMemberType[];
  @Field(() => TeamRole, { nullable: true, description: 'Your role in the team; null when you are not a member' }) myRole!: TeamRole | null;
}

@ObjectType('ResourceShare', { description: 'A team a server or group is shared with, and at which level' })
export class ResourceShareType {
  @Field(() => ID) teamId!: string;
  @Field(() => String) teamSlug!: string;
  @Field(() => String) teamName!: string;
  @Field(() => AccessLevel) level!: AccessLevel;
  @Field(() => Date) sharedAt!: Date;
}

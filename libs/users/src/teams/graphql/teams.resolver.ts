import { Authorize, CurrentActor, Permission, TeamRole, type Actor } from '#auth';
import { Args, Context, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CreateTeamInput, UpdateTeamInput } from '../dto/team.inputs.js';
import type { Team } from '../team.entity.js';
import { TeamsService } from '../teams.service.js';
import { TeamMembersLoader } from './team-members.loader.js';
import { TeamMemberType, TeamType } from './team.type.js';

@Resolver(() => TeamType)
export class TeamsResolver {
  constructor(
    private readonly teamsService: TeamsService,
    private readonly membersLoader: TeamMembersLoader,
  ) {}

  @Authorize(Permission.TEAM_READ)
  @Query(() => [TeamType], { description: "Your teams; admins and auditors see every team" })
  teams(
    @CurrentActor() actor: Actor,
    @Args('first', { type: () => Int, nullable: true, description: 'At most 100; default 50' }) first?: number,
    @Args('offset', { type: () => Int, nullable: true }) offset?: number,
  ) {
    return this.teamsService.list(actor, { first: first ?? undefined, offset: offset ?? undefined });
  }

  @Authorize(Permission.TEAM_READ)
  @Query(() => TeamType)
  team(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }) id: string) {
    return this.teamsService.get(actor, id);
  }

  @Authorize(Permission.TEAM_CREATE)
  @Mutation(() => TeamType, { description: 'You become its first OWNER' })
  createTeam(@CurrentActor() actor: Actor, @Args('input', { type: () => CreateTeamInput }) input: CreateTeamInput) {
    return this.teamsService.create(actor, { ...input });
  }

  @Authorize(Permission.TEAM_MANAGE)
  @Mutation(() => TeamType)
  updateTeam(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }) id: string, @Args('input', { type: () => UpdateTeamInput }) input: UpdateTeamInput) {
    return this.teamsService.update(actor, id, { ...input });
  }

  @Authorize(Permission.TEAM_MANAGE)
  @Mutation(() => Boolean, { description: 'Its members lose what was shared with the team at once' })
  deleteTeam(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }) id: string) {
    return this.teamsService.remove(actor, id);
  }

  @Authorize(Permission.TEAM_MANAGE)
  @Mutation(() => TeamType, { description: 'Team owners and admins; name the person by userId or email' })
  addTeamMember(
    @CurrentActor() actor: Actor,
    @Args('teamId', { type: () => ID }) teamId: string,
    @Args('userId', { type: () => ID, nullable: true }) userId?: string,
    @Args('email', { type: () => String, nullable: true }) email?: string,
    @Args('role', { type: () => TeamRole, nullable: true, description: 'Default MEMBER' }) role?: TeamRole,
  ) {
    return this.teamsService.addMember(actor, teamId, { userId, email }, role ?? undefined);
  }

  @Authorize(Permission.TEAM_MANAGE)
  @Mutation(() => TeamType, { description: 'A team keeps at least one OWNER' })
  setTeamMemberRole(
    @CurrentActor() actor: Actor,
    @Args('teamId', { type: () => ID }) teamId: string,
    @Args('userId', { type: () => ID }) userId: string,
    @Args('role', { type: () => TeamRole }) role: TeamRole,
  ) {
    return this.teamsService.setMemberRole(actor, teamId, userId, role);
  }

  @Authorize(Permission.TEAM_MANAGE)
  @Mutation(() => TeamType, { description: 'A team keeps at least one OWNER; the person loses what was shared with the team at once' })
  removeTeamMember(@CurrentActor() actor: Actor, @Args('teamId', { type: () => ID }) teamId: string, @Args('userId', { type: () => ID }) userId: string) {
    return this.teamsService.removeMember(actor, teamId, userId);
  }

  @ResolveField(() => [TeamMemberType])
  async members(@Parent() team: Team, @Context() context: object): Promise<TeamMemberType[]> {
    const members = await this.membersLoader.load(context, team.id);
    return members.map((m) => ({ userId: m.userId, email: m.user!.email, displayName: m.user!.displayName, role: m.role, joinedAt: m.createdAt }));
  }

  /** From the members (not the request's Actor): right after createTeam or a role change in the same request too. */
  @ResolveField(() => TeamRole, { nullable: true })
  async myRole(@Parent() team: Team, @CurrentActor() actor: Actor, @Context() context: object): Promise<TeamRole | null> {
    return (await this.membersLoader.load(context, team.id)).find((m) => m.userId === actor.id)?.role ?? null;
  }
}

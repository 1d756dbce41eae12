import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import { ConfigChangeBus, DomainError, ErrorCode, HUB_CONFIG, PINO, badInput, slugFromName, slugSchema, validate, type HubConfig, type Logger } from '#core';
import { Permission, TeamRole, readScope, type Actor } from '#auth';
import { UsersService, pageSchema } from '../users.service.js';
import { ResourceSharesRepository } from './sharing/resource-shares.repository.js';
import { ShareableType } from './sharing/resource-share.entity.js';
import { assertUuid, authorizeTeam } from './team-access.js';
import type { Team } from './team.entity.js';
import { isPgError, lastOwner, teamSlugTaken } from './teams.errors.js';
import { TeamsRepository } from './teams.repository.js';
import { desiredExternalRoles, type ExternalSyncResult } from './external-team-mapping.js';

const nameSchema = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');
const createTeamSchema = z.strictObject({ name: nameSchema, slug: slugSchema.nullish() });
const updateTeamSchema = z.strictObject({ name: nameSchema.nullish(), slug: slugSchema.nullish() });
const memberSchema = z
  .strictObject({ userId: z.uuid('must be a UUID').nullish(), email: z.string().trim().min(1).max(254).nullish() })
  .refine((m) => !!m.userId !== !!m.email, { message: 'give exactly one of userId and email', path: ['userId'] });

export type CreateTeam = z.input<typeof createTeamSchema>;
export type UpdateTeam = z.input<typeof updateTeamSchema>;
export type TeamMemberRef = z.input<typeof memberSchema>;

/**
 * Teams and their members. Every decision goes through the access policy with the team as a thing its OWNER members
 * own; membership changes run with the team row locked so a team never loses its last owner. Each change tells the
 * config bus about the person (`user`), so cached API keys pick up their owner's new teams at once.
 */
@Injectable()
export class TeamsService {
  constructor(
    private readonly teams: TeamsRepository,
    private readonly shares: ResourceSharesRepository,
    private readonly users: UsersService,
    private readonly bus: ConfigChangeBus,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    @Inject(PINO) private readonly logger: Logger,
  ) {}

  /** Members see their own teams; admins and auditors every team. */
  list(viewer: Actor, page: { first?: number; offset?: number }): Promise<Team[]> {
    return this.teams.list(readScope(viewer), validate(pageSchema, page));
  }

  async get(viewer: Actor, id: string, field = 'id', permission = Permission.TEAM_READ): Promise<Team> {
    assertUuid(id, field);
    return authorizeTeam(viewer, permission, await this.teams.findById(id), id);
  }

  /** The creator becomes the team's first OWNER. */
  async create(viewer: Actor, input: CreateTeam): Promise<Team> {
    const data = validate(createTeamSchema, input, 'input');
    const slug = data.slug ?? slugFromName(data.name);
    if (!slug) throw badInput('input.slug', 'cannot be derived from the name (no letters or digits); give one');
    const team = await this.uniqueSlug(slug, !data.slug, () =>
      this.teams.transaction(async (manager) => {
        const saved = await this.teams.saveTeam(manager, this.teams.newTeam({ name: data.name, slug }));
        await this.teams.insertMember(manager, saved.id, viewer.id, TeamRole.OWNER);
        return saved;
      }),
    );
    await this.bus.publish({ kind: 'user', id: viewer.id });
    return team;
  }

  async update(viewer: Actor, id: string, input: UpdateTeam): Promise<Team> {
    const data = validate(updateTeamSchema, input, 'input');
    assertUuid(id, 'id');
    return this.uniqueSlug(data.slug ?? '', false, () =>
      this.teams.transaction(async (manager) => {
        const team = authorizeTeam(viewer, Permission.TEAM_MANAGE, await this.teams.lock(manager, id), id);
        if (data.name != null) team.name = data.name;
        if (data.slug != null) team.slug = data.slug;
        return this.teams.saveTeam(manager, team);
      }),
    );
  }

  /** Memberships and shares go with the team (ON DELETE CASCADE); its members' keys and shared groups are refreshed. */
  async remove(viewer: Actor, id: string): Promise<boolean> {
    assertUuid(id, 'id');
    const { members, groups } = await this.teams.transaction(async (manager) => {
      const team = authorizeTeam(viewer, Permission.TEAM_MANAGE, await this.teams.lock(manager, id), id);
      const affected = {
        members: await this.teams.memberIds(team.id, manager),
        groups: await this.shares.resourcesSharedWith(team.id, ShareableType.GROUP, manager),
      };
      await this.teams.deleteTeam(manager, team.id);
      return affected;
    });
    for (const userId of members) await this.bus.publish({ kind: 'user', id: userId });
    for (const groupId of groups) await this.bus.publish({ kind: 'group', id: groupId });
    return true;
  }

  /** Adds a person by id or email; a person already in the team is a CONFLICT. */
  async addMember(viewer: Actor, teamId: string, ref: TeamMemberRef, role: TeamRole = TeamRole.MEMBER): Promise<Team> {
    assertUuid(teamId, 'teamId');
    const who = validate(memberSchema, ref);
    const user = who.userId ? await this.users.findById(who.userId) : await this.users.findByEmail(who.email!);
    const team = await this.changeMembers(viewer, teamId, async (manager, team) => {
      // After the team check: only the team's owners learn whether an account exists.
      if (!user) {
        const field = who.userId ? 'userId' : 'email';
        throw new DomainError(ErrorCode.NOT_FOUND, who.userId ? `User ${who.userId} not found` : `No user with email ${who.email}`, { field });
      }
      if (await this.teams.membership(manager, team.id, user.id)) {
        throw new DomainError(ErrorCode.CONFLICT, `${user.email} is already a member of team ${team.slug}`, { field: who.userId ? 'userId' : 'email' });
      }
      await this.teams.insertMember(manager, team.id, user.id, role);
    });
    await this.bus.publish({ kind: 'user', id: user!.id });
    return team;
  }

  async setMemberRole(viewer: Actor, teamId: string, userId: string, role: TeamRole): Promise<Team> {
    assertUuid(teamId, 'teamId');
    assertUuid(userId, 'userId');
    const team = await this.changeMembers(viewer, teamId, async (manager, team) => {
      const member = await this.memberOf(manager, team, userId);
      if (member.role === TeamRole.OWNER && role !== TeamRole.OWNER && (await this.teams.ownerCount(manager, team.id)) < 2) throw lastOwner(team.slug);
      await this.teams.setRole(manager, team.id, userId, role);
    });
    await this.bus.publish({ kind: 'user', id: userId });
    return team;
  }

  async removeMember(viewer: Actor, teamId: string, userId: string): Promise<Team> {
    assertUuid(teamId, 'teamId');
    assertUuid(userId, 'userId');
    const team = await this.changeMembers(viewer, teamId, async (manager, team) => {
      const member = await this.memberOf(manager, team, userId);
      if (member.role === TeamRole.OWNER && (await this.teams.ownerCount(manager, team.id)) < 2) throw lastOwner(team.slug);
      await this.teams.deleteMember(manager, team.id, userId);
    });
    await this.bus.publish({ kind: 'user', id: userId });
    return team;
  }

  /**
   * Makes the person's memberships of the teams AZURE_AD_TEAM_MAPPING names match their directory groups (called
   * at Azure AD sign-in): joins mapped teams, takes the mapped role, leaves mapped teams no group of theirs maps to.
   * Teams the mapping does not name are left alone; a team's last owner is never removed or demoted (logged).
   */
  async syncExternalMemberships(userId: string, externalGroups: string[]): Promise<ExternalSyncResult> {
    const mapping = this.config.teams.azureAdMapping;
    const result: ExternalSyncResult = { added: [], changed: [], removed: [], kept: [] };
    if (!mapping.length) return result;
    const changed = await this.teams.transaction(async (manager) => {
      const slugs = [...new Set(mapping.map((m) => m.teamSlug))];
      const teams = (await this.teams.findBySlugs(slugs, manager)).sort((a, b) => a.id.localeCompare(b.id));
      const missing = slugs.filter((slug) => !teams.some((t) => t.slug === slug));
      if (missing.length) this.logger.warn({ teams: missing }, 'AZURE_AD_TEAM_MAPPING names teams that do not exist; create them');
      const desired = desiredExternalRoles(mapping, externalGroups);
      for (const team of teams) {
        // Locked in id order: concurrent sign-ins of two people cannot deadlock.
        await this.teams.lock(manager, team.id);
        const want = desired.get(team.slug);
        const have = (await this.teams.membership(manager, team.id, userId))?.role;
        if (want === have) continue;
        if (want && !have) {
          await this.teams.insertMember(manager, team.id, userId, want);
          result.added.push(team.slug);
        } else if (have === TeamRole.OWNER && (await this.teams.ownerCount(manager, team.id)) < 2) {
          this.logger.warn({ userId, team: team.slug }, 'directory sync left the last owner of a team in place');
          result.kept.push(team.slug);
        } else if (want) {
          await this.teams.setRole(manager, team.id, userId, want);
          result.changed.push(team.slug);
        } else {
          await this.teams.deleteMember(manager, team.id, userId);
          result.removed.push(team.slug);
        }
      }
      return result.added.length + result.changed.length + result.removed.length > 0;
    });
    if (changed) await this.bus.publish({ kind: 'user', id: userId });
    return result;
  }

  /** Locks the team and checks the viewer manages it, then applies the membership change in the same transaction. */
  private changeMembers(viewer: Actor, teamId: string, apply: (manager: EntityManager, team: Team) => Promise<void>): Promise<Team> {
    return this.teams.transaction(async (manager) => {
      const team = authorizeTeam(viewer, Permission.TEAM_MANAGE, await this.teams.lock(manager, teamId), teamId);
      await apply(manager, team);
      return team;
    });
  }

  private async memberOf(manager: EntityManager, team: Team, userId: string) {
    const member = await this.teams.membership(manager, team.id, userId);
    if (!member) throw new DomainError(ErrorCode.NOT_FOUND, `User ${userId} is not a member of team ${team.slug}`);
    return member;
  }

  private async uniqueSlug<T>(slug: string, derived: boolean, save: () => Promise<T>): Promise<T> {
    try {
      return await save();
    } catch (error) {
      if (isPgError(error, '23505')) throw teamSlugTaken(slug, derived);
      throw error;
    }
  }
}

import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type EntityManager, type Repository } from 'typeorm';
import { TeamRole, type ReadScope } from '#auth';
import { TeamMember } from './team-member.entity.js';
import { Team } from './team.entity.js';

/** Queries over teams and their members. Writes take the caller's transaction manager. */
@Injectable()
export class TeamsRepository {
  constructor(
    @InjectRepository(Team) private readonly teams: Repository<Team>,
    @InjectRepository(TeamMember) private readonly members: Repository<TeamMember>,
  ) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.teams.manager.transaction(work);
  }

  findById(id: string): Promise<Team | null> {
    return this.teams.findOneBy({ id });
  }

  findBySlugs(slugs: string[], manager?: EntityManager): Promise<Team[]> {
    return slugs.length ? this.on(manager).getRepository(Team).findBy({ slug: In(slugs) }) : Promise.resolve([]);
  }

  /** Every team for an unrestricted scope, else the teams the actor belongs to. */
  list(scope: ReadScope, page: { first: number; offset: number }): Promise<Team[]> {
    if (!scope.all && !scope.teamIds.length) return Promise.resolve([]);
    return this.teams.find({
      where: scope.all ? {} : { id: In(scope.teamIds) },
      order: { name: 'ASC', id: 'ASC' },
      take: page.first,
      skip: page.offset,
    });
  }

  /** Team id → the person's role in it: what the access policy's Actor carries. */
  async rolesOf(userId: string, manager?: EntityManager): Promise<Map<string, TeamRole>> {
    const rows = await this.on(manager).getRepository(TeamMember).find({ select: { teamId: true, role: true }, where: { userId } });
    return new Map(rows.map((r) => [r.teamId, r.role]));
  }

  /** Members of each team with their user rows, owners first; one query for many teams. */
  async membersOf(teamIds: string[]): Promise<Map<string, TeamMember[]>> {
    const result = new Map<string, TeamMember[]>(teamIds.map((id) => [id, []]));
    if (!teamIds.length) return result;
    const rows = await this.members.find({
      where: { teamId: In(teamIds) },
      relations: { user: true },
      order: { role: 'DESC', createdAt: 'ASC' },
    });
    for (const row of rows) result.get(row.teamId)!.push(row);
    return result;
  }

  memberIds(teamId: string, manager: EntityManager): Promise<string[]> {
    return manager.getRepository(TeamMember).find({ select: { userId: true }, where: { teamId } }).then((rows) => rows.map((r) => r.userId));
  }

  /** The team row FOR UPDATE: membership changes of one team run one after the other (the last-owner rule). */
  lock(manager: EntityManager, id: string): Promise<Team | null> {
    return manager.getRepository(Team).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  membership(manager: EntityManager, teamId: string, userId: string): Promise<TeamMember | null> {
    return manager.getRepository(TeamMember).findOneBy({ teamId, userId });
  }

  ownerCount(manager: EntityManager, teamId: string): Promise<number> {
    return manager.getRepository(TeamMember).countBy({ teamId, role: TeamRole.OWNER });
  }

  saveTeam(manager: EntityManager, team: Team): Promise<Team> {
    return manager.getRepository(Team).save(team);
  }

  newTeam(fields: Pick<Team, 'name' | 'slug'>): Team {
    return this.teams.create(fields);
  }

  async deleteTeam(manager: EntityManager, id: string): Promise<void> {
    await manager.getRepository(Team).delete({ id });
  }

  async insertMember(manager: EntityManager, teamId: string, userId: string, role: TeamRole): Promise<void> {
    await manager.getRepository(TeamMember).insert({ teamId, userId, role });
  }

  async setRole(manager: EntityManager, teamId: string, userId: string, role: TeamRole): Promise<void> {
    await manager.getRepository(TeamMember).update({ teamId, userId }, { role });
  }

  async deleteMember(manager: EntityManager, teamId: string, userId: string): Promise<void> {
    await manager.getRepository(TeamMember).delete({ teamId, userId });
  }

  /** The caller's transaction, else the default connection. */
  private on(manager?: EntityManager): EntityManager {
    return manager ?? this.teams.manager;
  }
}

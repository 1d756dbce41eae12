import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, type EntityManager, type Repository } from 'typeorm';
import { Credential, CredentialScope } from './credential.entity.js';

/** Every query on credentials. */
@Injectable()
export class CredentialsRepository {
  constructor(@InjectRepository(Credential) private readonly credentials: Repository<Credential>) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.credentials.manager.transaction(work);
  }

  findById(id: string): Promise<Credential | null> {
    return this.credentials.findOne({ where: { id }, relations: { team: true } });
  }

  /** The person's own, their teams', and (when `hub`) the hub's, by scope then name. */
  visibleTo(userId: string, teamIds: string[], hub: boolean): Promise<Credential[]> {
    return this.credentials
      .createQueryBuilder('c')
      .leftJoinAndSelect('c.team', 'team')
      .where(
        new Brackets((q) => {
          q.where(`c.scope = 'USER' AND c.user_id = :userId`, { userId });
          if (teamIds.length) q.orWhere(`c.scope = 'TEAM' AND c.team_id IN (:...teamIds)`, { teamIds });
          if (hub) q.orWhere(`c.scope = 'HUB'`);
        }),
      )
      .orderBy('c.scope', 'ASC')
      .addOrderBy('team.slug', 'ASC', 'NULLS FIRST')
      .addOrderBy('c.name', 'ASC')
      .getMany();
  }

  /** Every credential of these names a user can draw on: their own, their teams' (by team slug), the hub's. */
  candidates(userId: string, names: string[]): Promise<Credential[]> {
    return this.credentials
      .createQueryBuilder('c')
      .leftJoinAndSelect('c.team', 'team')
      .where('c.name IN (:...names)', { names })
      .andWhere(
        new Brackets((q) =>
          q
            .where(`c.scope = 'USER' AND c.user_id = :userId`, { userId })
            .orWhere(`c.scope = 'TEAM' AND c.team_id IN (SELECT m.team_id FROM team_members m WHERE m.user_id = :userId)`, { userId })
            .orWhere(`c.scope = 'HUB'`),
        ),
      )
      .orderBy('team.slug', 'ASC', 'NULLS FIRST')
      .getMany();
  }

  /** The one credential of this name at this place, locked for a write. */
  lockSlot(manager: EntityManager, slot: { scope: CredentialScope; userId: string | null; teamId: string | null; name: string }): Promise<Credential | null> {
    const q = manager.getRepository(Credential).createQueryBuilder('c').setLock('pessimistic_write').where('c.scope = :scope AND c.name = :name', slot);
    if (slot.scope === CredentialScope.USER) q.andWhere('c.user_id = :userId', slot);
    if (slot.scope === CredentialScope.TEAM) q.andWhere('c.team_id = :teamId', slot);
    return q.getOne();
  }
}

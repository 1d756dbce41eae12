import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Raw, type EntityManager, type FindOperator, type Repository } from 'typeorm';
import type { AccessLevel } from '#auth';
import { ResourceShare, ShareableType } from './resource-share.entity.js';

/** A server or group row that the access policy can decide about once its shares are attached. */
export interface Shareable {
  id: string;
  shares?: ResourceShare[];
}

/** Queries over resource_shares. Reads that feed a check inside a transaction take its manager (PGlite serves one connection). */
@Injectable()
export class ResourceSharesRepository {
  constructor(@InjectRepository(ResourceShare) private readonly shares: Repository<ResourceShare>) {}

  /** The shares of each thing, with their teams; one query for many. */
  async sharesOf(type: ShareableType, ids: string[], manager?: EntityManager): Promise<Map<string, ResourceShare[]>> {
    const result = new Map<string, ResourceShare[]>(ids.map((id) => [id, []]));
    if (!ids.length) return result;
    const rows = await (manager ?? this.shares.manager).getRepository(ResourceShare).find({
      where: { resourceType: type, resourceId: In(ids) },
      relations: { team: true },
      order: { createdAt: 'ASC' },
    });
    for (const row of rows) result.get(row.resourceId)!.push(row);
    return result;
  }

  /** Every share of one kind of thing (the gateway's in-memory view). */
  async allOf(type: ShareableType): Promise<Map<string, ResourceShare[]>> {
    const result = new Map<string, ResourceShare[]>();
    for (const row of await this.shares.find({ where: { resourceType: type }, order: { createdAt: 'ASC' } })) {
      result.set(row.resourceId, [...(result.get(row.resourceId) ?? []), row]);
    }
    return result;
  }

  /** Loads the row's shares onto it, so `authorize`/`can` see them. */
  async attach<T extends Shareable>(type: ShareableType, row: T | null, manager?: EntityManager): Promise<T | null> {
    if (row) row.shares = (await this.sharesOf(type, [row.id], manager)).get(row.id);
    return row;
  }

  async attachAll<T extends Shareable>(type: ShareableType, rows: T[], manager?: EntityManager): Promise<T[]> {
    const shares = await this.sharesOf(type, rows.map((r) => r.id), manager);
    for (const row of rows) row.shares = shares.get(row.id);
    return rows;
  }

  /** Creates the share or changes its level. */
  async put(type: ShareableType, resourceId: string, teamId: string, level: AccessLevel): Promise<void> {
    // In a transaction: the audit entry of the share commits with it.
    await this.shares.manager.transaction((manager) =>
      manager.getRepository(ResourceShare).upsert({ resourceType: type, resourceId, teamId, level }, ['resourceType', 'resourceId', 'teamId']),
    );
  }

  /** Whether there was a share to remove. */
  async remove(type: ShareableType, resourceId: string, teamId: string): Promise<boolean> {
    const result = await this.shares.manager.transaction((manager) => manager.getRepository(ResourceShare).delete({ resourceType: type, resourceId, teamId }));
    return (result.affected ?? 0) > 0;
  }

  /** In the transaction that deletes the thing. */
  async removeAllFor(manager: EntityManager, type: ShareableType, resourceId: string): Promise<void> {
    await manager.getRepository(ResourceShare).delete({ resourceType: type, resourceId });
  }

  async resourcesSharedWith(teamId: string, type: ShareableType, manager?: EntityManager): Promise<string[]> {
    const rows = await (manager ?? this.shares.manager).getRepository(ResourceShare).find({ select: { resourceId: true }, where: { teamId, resourceType: type } });
    return rows.map((r) => r.resourceId);
  }
}

/** A `find` condition on a row's id: the thing is shared with one of these teams (listings; see readScope). */
export function sharedWithTeams(type: ShareableType, teamIds: string[]): FindOperator<string> {
  return Raw((id) => `${id} IN (SELECT "resource_id" FROM "resource_shares" WHERE "resource_type" = :shareType AND "team_id" IN (:...shareTeamIds))`, {
    shareType: type,
    shareTeamIds: teamIds,
  });
}

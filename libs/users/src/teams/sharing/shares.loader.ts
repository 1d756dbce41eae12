import { Injectable } from '@nestjs/common';
import { BatchLoader } from '#core';
import type { ResourceShareType } from '../graphql/team.type.js';
import { ShareableType, type ResourceShare } from './resource-share.entity.js';
import { ResourceSharesRepository, type Shareable } from './resource-shares.repository.js';

/** The `shares` field of servers and groups: one query per kind per GraphQL request (or none when already attached). */
@Injectable()
export class SharesLoader {
  private readonly perRequest = new WeakMap<object, Map<ShareableType, BatchLoader<string, ResourceShare[]>>>();

  constructor(private readonly shares: ResourceSharesRepository) {}

  async load(requestContext: object, type: ShareableType, row: Shareable): Promise<ResourceShareType[]> {
    const shares = row.shares?.every((s) => s.team) ? row.shares : await this.loader(requestContext, type).load(row.id);
    return shares.map((s) => ({ teamId: s.teamId, teamSlug: s.team!.slug, teamName: s.team!.name, level: s.level, sharedAt: s.createdAt }));
  }

  private loader(requestContext: object, type: ShareableType): BatchLoader<string, ResourceShare[]> {
    let byType = this.perRequest.get(requestContext);
    if (!byType) this.perRequest.set(requestContext, (byType = new Map()));
    let loader = byType.get(type);
    if (!loader) byType.set(type, (loader = new BatchLoader((ids) => this.shares.sharesOf(type, ids), () => [])));
    return loader;
  }
}

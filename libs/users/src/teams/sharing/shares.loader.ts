import { Injectable } from '@nestjs/common';
import { RequestLoader } from '#core';
import type { ResourceShareType } from '../graphql/team.type.js';
import { ShareableType, type ResourceShare } from './resource-share.entity.js';
import { ResourceSharesRepository, type Shareable } from './resource-shares.repository.js';

/** The `shares` field of servers and groups: one query per kind per GraphQL request (or none when already attached). */
@Injectable()
export class SharesLoader {
  private readonly loaders: Record<ShareableType, RequestLoader<string, ResourceShare[]>>;

  constructor(shares: ResourceSharesRepository) {
    const loaderOf = (type: ShareableType) => new RequestLoader((ids: string[]) => shares.sharesOf(type, ids), () => []);
    this.loaders = { [ShareableType.SERVER]: loaderOf(ShareableType.SERVER), [ShareableType.GROUP]: loaderOf(ShareableType.GROUP) };
  }

  async load(requestContext: object, type: ShareableType, row: Shareable): Promise<ResourceShareType[]> {
    const shares = row.shares?.every((s) => s.team) ? row.shares : await this.loaders[type].load(requestContext, row.id);
    return shares.map((s) => ({ teamId: s.teamId, teamSlug: s.team!.slug, teamName: s.team!.name, level: s.level, sharedAt: s.createdAt }));
  }
}

import { Injectable } from '@nestjs/common';
import { Permission, type AccessLevel, type Actor } from '#auth';
import { ResourceSharesRepository, ResourceSharingService, ShareableType } from '#users';
import type { Group } from '../group.entity.js';
import { GroupsService } from '../groups.service.js';

/**
 * Sharing a group with a team takes GROUP_SHARE (OWNER access) on it; returns the group with its shares. The
 * change reaches the gateway's view through the config bus, so open agent sessions lose access at their next request.
 */
@Injectable()
export class GroupSharingService {
  constructor(
    private readonly groups: GroupsService,
    private readonly sharing: ResourceSharingService,
    private readonly shares: ResourceSharesRepository,
  ) {}

  async share(actor: Actor, groupId: string, teamId: string, level: AccessLevel): Promise<Group> {
    const group = await this.groups.get(actor, groupId, 'groupId', Permission.GROUP_SHARE);
    await this.sharing.share(actor, ShareableType.GROUP, group.id, teamId, level);
    return (await this.shares.attach(ShareableType.GROUP, group))!;
  }

  async unshare(actor: Actor, groupId: string, teamId: string): Promise<Group> {
    const group = await this.groups.get(actor, groupId, 'groupId', Permission.GROUP_SHARE);
    await this.sharing.unshare(ShareableType.GROUP, group.id, teamId);
    return (await this.shares.attach(ShareableType.GROUP, group))!;
  }
}

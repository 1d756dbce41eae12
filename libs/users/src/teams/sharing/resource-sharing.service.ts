import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { ConfigChangeBus, DomainError, ErrorCode, validate } from '#core';
import { AccessLevel, type Actor } from '#auth';
import { TeamsService } from '../teams.service.js';
import { ShareableType } from './resource-share.entity.js';
import { ResourceSharesRepository } from './resource-shares.repository.js';

const shareSchema = z.strictObject({ teamId: z.uuid('must be a UUID'), level: z.enum(AccessLevel) });

const KIND: Record<ShareableType, string> = { [ShareableType.SERVER]: 'Server', [ShareableType.GROUP]: 'Group' };

/**
 * Shares and unshares a thing the caller has already authorized (SERVER_SHARE / GROUP_SHARE). A group's shares
 * are part of the gateway's in-memory view, so changing them is announced as a `group` change; a server's shares
 * are read from the database where they matter (listings, checks, health notifications).
 */
@Injectable()
export class ResourceSharingService {
  constructor(
    private readonly shares: ResourceSharesRepository,
    private readonly teams: TeamsService,
    private readonly bus: ConfigChangeBus,
  ) {}

  /** Shares with a team the sharer can see (one they belong to; admins any), or changes the level of an existing share. */
  async share(sharer: Actor, type: ShareableType, resourceId: string, teamId: string, level: AccessLevel): Promise<void> {
    validate(shareSchema, { teamId, level });
    const team = await this.teams.get(sharer, teamId, 'teamId');
    await this.shares.put(type, resourceId, team.id, level);
    await this.announce(type, resourceId);
  }

  /** Works for any team the thing is shared with, including one the sharer has left. */
  async unshare(type: ShareableType, resourceId: string, teamId: string): Promise<void> {
    validate(shareSchema.pick({ teamId: true }), { teamId });
    if (!(await this.shares.remove(type, resourceId, teamId))) {
      throw new DomainError(ErrorCode.NOT_FOUND, `${KIND[type]} ${resourceId} is not shared with team ${teamId}`, { field: 'teamId' });
    }
    await this.announce(type, resourceId);
  }

  private async announce(type: ShareableType, resourceId: string): Promise<void> {
    if (type === ShareableType.GROUP) await this.bus.publish({ kind: 'group', id: resourceId });
  }
}

import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Not, type EntityManager, type Repository } from 'typeorm';
import { z } from 'zod';
import { ConfigChangeBus, DomainError, ErrorCode, forbidden, validate } from '#core';
import { McpServer } from '#servers';
import { Permission, can, type Actor } from '#auth';
import { ResourceSharesRepository, ShareableType } from '#users';
import { authorizeGroup, lockGroup } from '../group-access.js';
import { GroupServer } from '../group-server.entity.js';
import { Group } from '../group.entity.js';
import { isPgError, slugTaken } from '../groups.errors.js';
import { GroupRevisionsService } from './group-revisions.service.js';
import { membershipDiff, snapshotNaming, type GroupSnapshot } from './group-snapshot.js';

const rollbackSchema = z.strictObject({
  groupId: z.uuid('must be a UUID'),
  revision: z.number().int('must be a whole number').min(1, 'must be 1 or more'),
});

/**
 * Puts a group back to an earlier revision: fields, naming mode, tool filter, membership and participants' parts, all in one
 * transaction with the new `rollbackGroup to N` revision. Any check failing leaves the group untouched.
 */
@Injectable()
export class RollbackGroup {
  constructor(
    @InjectRepository(Group) private readonly groups: Repository<Group>,
    private readonly revisions: GroupRevisionsService,
    private readonly shares: ResourceSharesRepository,
    private readonly bus: ConfigChangeBus,
  ) {}

  async execute(viewer: Actor, groupId: string, revision: number): Promise<Group> {
    validate(rollbackSchema, { groupId, revision });
    const group = await this.groups.manager.transaction(async (manager) => {
      const locked = await this.shares.attach(ShareableType.GROUP, await lockGroup(manager, groupId), manager);
      const group = authorizeGroup(viewer, Permission.GROUP_UPDATE, locked, groupId);
      const target = await this.revisions.find(manager, group.id, revision);
      if (!target) throw new DomainError(ErrorCode.NOT_FOUND, `Revision ${revision} of group ${group.slug} not found`);
      const snapshot = target.snapshot;
      await assertServersUsable(manager, this.shares, viewer, group, snapshot.serverIds, revision);
      await assertSlugFree(manager, group, snapshot.slug);
      const saved = await saveFields(manager, group, snapshot);
      await restoreMembership(manager, group.id, snapshot.serverIds);
      await this.revisions.restoreParts(manager, group.id, snapshot);
      await this.revisions.record(manager, group.id, `rollbackGroup to ${revision}`, viewer.id);
      return saved;
    });
    await this.bus.publish({ kind: 'group', id: group.id });
    return group;
  }
}

/** Every server must still exist; a member may bring back only servers they own (as with addServerToGroup). */
async function assertServersUsable(
  manager: EntityManager,
  shares: ResourceSharesRepository,
  viewer: Actor,
  group: Group,
  serverIds: string[],
  revision: number,
) {
  // FOR KEY SHARE: a server cannot be deleted between this check and the membership insert.
  const found = serverIds.length
    ? await manager.getRepository(McpServer).find({ select: { id: true, ownerId: true }, where: { id: In(serverIds) }, lock: { mode: 'for_key_share' }, loadEagerRelations: false })
    : [];
  // With their shares: a server shared with the viewer's team at OWNER level may be brought back too.
  const byId = new Map((await shares.attachAll(ShareableType.SERVER, found, manager)).map((s) => [s.id, s]));
  const missing = serverIds.filter((id) => !byId.has(id));
  if (missing.length) {
    throw new DomainError(
      ErrorCode.CONFLICT,
      `revision: revision ${revision} of group ${group.slug} has servers that no longer exist: ${missing.join(', ')}; choose a later revision or re-add them`,
      { field: 'revision', missingServerIds: missing },
    );
  }
  const current = new Set((await manager.getRepository(GroupServer).findBy({ groupId: group.id })).map((m) => m.serverId));
  const notOwned = serverIds.filter((id) => !current.has(id) && !can(viewer, Permission.SERVER_SHARE, byId.get(id)));
  if (notOwned.length) {
    throw forbidden(`Rolling back would add servers you may not share: ${notOwned.join(', ')}; ask their owner or an admin to roll back`);
  }
}

async function assertSlugFree(manager: EntityManager, group: Group, slug: string) {
  if (slug === group.slug) return;
  if (await manager.getRepository(Group).existsBy({ slug, id: Not(group.id) })) throw slugTaken(slug);
}

async function saveFields(manager: EntityManager, group: Group, snapshot: GroupSnapshot): Promise<Group> {
  Object.assign(group, {
    name: snapshot.name,
    slug: snapshot.slug,
    description: snapshot.description ?? null,
    toolNaming: snapshotNaming(snapshot),
    toolFilterMode: snapshot.toolFilterMode,
    toolFilter: [...snapshot.toolFilter],
    toolPinning: snapshot.toolPinning ?? group.toolPinning,
  });
  try {
    return await manager.getRepository(Group).save(group);
  } catch (error) {
    // Another group took the slug after the check.
    if (isPgError(error, '23505', 'groups')) throw slugTaken(snapshot.slug);
    throw error;
  }
}

async function restoreMembership(manager: EntityManager, groupId: string, serverIds: string[]) {
  const members = manager.getRepository(GroupServer);
  const current = await members.find({ where: { groupId }, order: { position: 'ASC', createdAt: 'ASC' } });
  const diff = membershipDiff(current, serverIds);
  if (diff.remove.length) await members.delete({ groupId, serverId: In(diff.remove) });
  for (const { serverId, position } of diff.move) await members.update({ groupId, serverId }, { position });
  if (diff.add.length) await members.insert(diff.add.map((m) => ({ groupId, ...m })));
}

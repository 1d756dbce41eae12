import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { notFound, validate } from '#core';
import { Permission, type Actor } from '#auth';
import { ResourceSharesRepository, ShareableType, pageSchema } from '#users';
import { assertUuid, authorizeGroup, lockGroup } from '../group-access.js';
import { GroupServer } from '../group-server.entity.js';
import { Group } from '../group.entity.js';
import { GroupRevision } from './group-revision.entity.js';
import { groupSnapshot, type GroupSnapshot } from './group-snapshot.js';
import type { RevisionParticipant } from './revision-participant.js';
import { RevisionParticipants } from './revision-participants.js';

/** Numbered snapshots of group configuration. Writes run on the caller's transaction manager. */
@Injectable()
export class GroupRevisionsService {
  private readonly participants = new RevisionParticipants();

  constructor(
    @InjectRepository(Group) private readonly groups: Repository<Group>,
    @InjectRepository(GroupRevision) private readonly revisions: Repository<GroupRevision>,
    private readonly shares: ResourceSharesRepository,
  ) {}

  /** See RevisionParticipant. Returns an unregister function. */
  registerParticipant(participant: RevisionParticipant): () => void {
    return this.participants.register(participant);
  }

  /**
   * Locks the group row (FOR UPDATE) for the rest of the caller's transaction. Modules that change group-owned
   * config should call it before their own writes, then record() after them.
   */
  async lock(manager: EntityManager, groupId: string): Promise<Group> {
    assertTransaction(manager);
    const group = await lockGroup(manager, groupId);
    if (!group) throw notFound('Group', groupId);
    return group;
  }

  /**
   * Snapshots the group as the caller's transaction sees it and stores it as the next revision. The group lock
   * makes concurrent changes to one group take numbers one after the other.
   */
  async record(manager: EntityManager, groupId: string, reason: string, userId: string | null): Promise<GroupRevision> {
    const group = await this.lock(manager, groupId);
    const snapshot = await this.capture(manager, group);
    const repo = manager.getRepository(GroupRevision);
    const last = await repo.maximum('revision', { groupId });
    return repo.save(repo.create({ groupId, revision: (last ?? 0) + 1, snapshot, reason, createdBy: userId }));
  }

  /** Newest first. */
  async list(viewer: Actor, groupId: string, page: { first?: number; offset?: number }): Promise<GroupRevision[]> {
    assertUuid(groupId, 'groupId');
    const { first, offset } = validate(pageSchema, page);
    authorizeGroup(viewer, Permission.GROUP_READ, await this.shares.attach(ShareableType.GROUP, await this.groups.findOneBy({ id: groupId })), groupId);
    return this.revisions.find({ where: { groupId }, order: { revision: 'DESC' }, take: first, skip: offset });
  }

  find(manager: EntityManager, groupId: string, revision: number): Promise<GroupRevision | null> {
    return manager.getRepository(GroupRevision).findOneBy({ groupId, revision });
  }

  /** Hands every participant its part of the snapshot, inside the rollback's transaction. */
  restoreParts(manager: EntityManager, groupId: string, snapshot: GroupSnapshot): Promise<void> {
    assertTransaction(manager);
    return this.participants.restore(manager, groupId, snapshot.parts ?? {});
  }

  private async capture(manager: EntityManager, group: Group): Promise<GroupSnapshot> {
    const members = await manager.getRepository(GroupServer).find({
      where: { groupId: group.id },
      order: { position: 'ASC', createdAt: 'ASC' },
    });
    const parts = await this.participants.capture(manager, group.id);
    return groupSnapshot(group, members.map((m) => m.serverId), parts);
  }
}

/** A revision written outside the change's transaction could describe a state that never committed. */
function assertTransaction(manager: EntityManager): void {
  if (!manager.queryRunner?.isTransactionActive) throw new Error('Group revisions are written inside a transaction: pass its manager');
}

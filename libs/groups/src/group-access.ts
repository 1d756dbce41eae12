import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import { badInput, notFound } from '#core';
import { ownsOrAdmin, type User } from '#users';
import { Group } from './group.entity.js';

export function assertUuid(id: string, field: string): void {
  if (!z.uuid().safeParse(id).success) throw badInput(field, 'must be a UUID');
}

/** Members see their own groups, admins all. */
export function maySeeGroup(viewer: Pick<User, 'id' | 'role'>, group: { ownerId: string }): boolean {
  return ownsOrAdmin(viewer, group.ownerId);
}

/** Someone else's group is "not found" to a member. */
export function visibleGroup(viewer: User, group: Group | null, key: string): Group {
  if (!group || !maySeeGroup(viewer, group)) throw notFound('Group', key);
  return group;
}

/**
 * Loads the group row FOR UPDATE inside the caller's transaction. Every configuration change takes this lock first,
 * so changes to one group (and their revision numbers) are serialised; taking it before any other write to the
 * group's rows also avoids lock-upgrade deadlocks (a foreign-key insert holds FOR KEY SHARE on the group).
 */
export function lockGroup(manager: EntityManager, id: string): Promise<Group | null> {
  return manager.getRepository(Group).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
}

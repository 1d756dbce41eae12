import type { EntityManager, FindOptionsWhere } from 'typeorm';
import { z } from 'zod';
import { badInput } from '#core';
import { Permission, authorize, readScope, type Actor } from '#auth';
import { ShareableType, sharedWithTeams } from '#users';
import { Group } from './group.entity.js';

export function assertUuid(id: string, field: string): void {
  if (!z.uuid().safeParse(id).success) throw badInput(field, 'must be a UUID');
}

/**
 * Throws NOT_FOUND (cannot see it) or FORBIDDEN (may not do this) unless the actor may do `permission` on the group.
 * The group's shares must be attached (GroupsService.get and lockGroup callers do), or team access is not seen.
 */
export function authorizeGroup(actor: Actor, permission: Permission, group: Group | null, key: string): Group {
  authorize(actor, permission, group, { kind: 'Group', id: key });
  return group!;
}

/** The read scope of the access policy as a filter for listing groups: own ones and those shared with the actor's teams. */
export function visibleGroupsWhere(actor: Actor): FindOptionsWhere<Group>[] {
  const scope = readScope(actor);
  if (scope.all) return [{}];
  return [{ ownerId: scope.ownerId }, ...(scope.teamIds.length ? [{ id: sharedWithTeams(ShareableType.GROUP, scope.teamIds) }] : [])];
}

/**
 * Loads the group row FOR UPDATE inside the caller's transaction. Every configuration change takes this lock first,
 * so changes to one group (and their revision numbers) are serialised; taking it before any other write to the
 * group's rows also avoids lock-upgrade deadlocks (a foreign-key insert holds FOR KEY SHARE on the group).
 */
export function lockGroup(manager: EntityManager, id: string): Promise<Group | null> {
  return manager.getRepository(Group).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
}

import { z } from 'zod';
import { badInput } from '#core';
import { authorize, teamAsOwned, type Actor, type Permission } from '#auth';
import type { Team } from './team.entity.js';

export function assertUuid(id: string, field: string): void {
  if (!z.uuid().safeParse(id).success) throw badInput(field, 'must be a UUID');
}

/** Throws NOT_FOUND (not a member) or FORBIDDEN (a member, not an owner) unless the actor may do `permission` on the team. */
export function authorizeTeam(actor: Actor, permission: Permission, team: Team | null, id: string): Team {
  authorize(actor, permission, team && teamAsOwned(team.id), { kind: 'Team', id });
  return team!;
}

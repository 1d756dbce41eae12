import type { ResolvedGroup } from '#groups';
import { Role } from '#users';
import type { KeyPrincipal } from '#keys';

/**
 * A key may use a group its owner may use (admins: every group; members: their own), narrowed to the key's
 * group scope when it has one.
 */
export function mayUseGroup(principal: KeyPrincipal, group: ResolvedGroup): boolean {
  if (principal.groupIds.length && !principal.groupIds.includes(group.id)) return false;
  return principal.role === Role.ADMIN || group.ownerId === principal.userId;
}

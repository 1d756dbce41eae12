import { Permission, can } from '#auth';
import type { ResolvedGroup } from '#groups';
import type { KeyPrincipal } from '#keys';

/**
 * A key may use a group its owner may use (the access policy's GROUP_USE), narrowed to the key's group scope when
 * it has one. Checked on every request, so losing access applies to open sessions at once.
 */
export function mayUseGroup(principal: KeyPrincipal, group: ResolvedGroup): boolean {
  if (principal.groupIds.length && !principal.groupIds.includes(group.id)) return false;
  return can(principal.actor, Permission.GROUP_USE, group);
}

import { Role, type User } from '../user.entity.js';

/**
 * The one visibility rule for owned things (servers, groups, keys, rules) until a full access policy replaces it:
 * admins reach everything, members what they own. Callers turn "no" into NOT_FOUND so foreign ids stay unseen.
 */
export function ownsOrAdmin(viewer: Pick<User, 'id' | 'role'>, ownerId: string): boolean {
  return viewer.role === Role.ADMIN || ownerId === viewer.id;
}

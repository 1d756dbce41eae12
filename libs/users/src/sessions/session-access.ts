import type { User } from '../user.entity.js';
import type { SignInSession } from './sign-in-session.entity.js';

/**
 * The one rule for who may see or end a sign-in session: its own user. Admins end someone else's sessions with
 * revokeUserSessions, not by id. Callers turn "no" into NOT_FOUND so foreign ids stay unseen.
 */
export function mayManageSession(viewer: Pick<User, 'id'>, session: Pick<SignInSession, 'userId'>): boolean {
  return session.userId === viewer.id;
}

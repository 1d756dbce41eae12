import type { AuthMethod, Role, TeamRole } from './roles.js';

/**
 * Who is asking, as the access policy sees it: built once per request by the authenticating guard (or per API key
 * by the gateway) and passed to services instead of the user entity.
 */
export interface Actor {
  readonly id: string;
  readonly role: Role;
  /** API_KEY when an agent acts with a key on behalf of its owner; SYSTEM when the hub decides for someone (alerts). */
  readonly authMethod: AuthMethod | 'API_KEY' | 'SYSTEM';
  /** Team id → the actor's role in it. */
  readonly teams: ReadonlyMap<string, TeamRole>;
  /** The person's sign-in session (absent for API keys). */
  readonly sessionId?: string;
}

const NO_TEAMS: ReadonlyMap<string, TeamRole> = new Map();

export function actorOf(
  user: { id: string; role: Role },
  authMethod: Actor['authMethod'],
  teams: ReadonlyMap<string, TeamRole> = NO_TEAMS,
  sessionId?: string,
): Actor {
  return { id: user.id, role: user.role, authMethod, teams, ...(sessionId ? { sessionId } : {}) };
}

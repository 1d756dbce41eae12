import { teamAsOwned, type Owned } from '#auth';
import { CredentialScope } from './credential.entity.js';

/**
 * A credential as the access policy sees it: a person's own is theirs; a team's is seen by its members and managed
 * by its OWNERs (like the team itself); the hub's has no owner, so only admins manage it (auditors read names).
 */
export function credentialAsOwned(slot: { scope: CredentialScope; userId: string | null; teamId: string | null }): Owned {
  if (slot.scope === CredentialScope.USER) return { ownerId: slot.userId, shares: [] };
  if (slot.scope === CredentialScope.TEAM) return teamAsOwned(slot.teamId!);
  return { ownerId: null, shares: [] };
}

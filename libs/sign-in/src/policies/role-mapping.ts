import { Role } from '#users';
import type { ExternalProfile } from '../external-profile.js';

/** When several mapped claims match, the broadest role wins. */
const PRECEDENCE: Role[] = [Role.ADMIN, Role.AUDITOR, Role.MEMBER];

/**
 * The hub role that AZURE_AD_ROLE_MAPPING gives this profile, from its app roles (`roles`) and group object ids
 * (`groups`), compared case-insensitively; null when nothing matches.
 */
export function mappedRole(profile: ExternalProfile, mapping: Record<string, string>): Role | null {
  const claims = [...(profile.roles ?? []), ...(profile.groups ?? [])].map((c) => c.toLowerCase());
  const matched = new Set(claims.map((c) => mapping[c]).filter(Boolean));
  return PRECEDENCE.find((role) => matched.has(role)) ?? null;
}

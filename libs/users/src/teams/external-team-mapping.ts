import { TeamRole } from '#auth';
import type { ExternalTeamMapping } from '#core';

/** What a directory sync did, by team slug. `kept`: a last owner the directory no longer maps, left in place. */
export interface ExternalSyncResult {
  added: string[];
  changed: string[];
  removed: string[];
  kept: string[];
}

/** Team slug → the role the person's directory groups give them there (the highest when several map to one team). */
export function desiredExternalRoles(mapping: readonly ExternalTeamMapping[], externalGroups: readonly string[]): Map<string, TeamRole> {
  const groups = new Set(externalGroups.map((g) => g.trim().toLowerCase()));
  const desired = new Map<string, TeamRole>();
  for (const rule of mapping) {
    if (!groups.has(rule.externalGroup)) continue;
    const role = rule.role === 'OWNER' ? TeamRole.OWNER : TeamRole.MEMBER;
    if (desired.get(rule.teamSlug) !== TeamRole.OWNER) desired.set(rule.teamSlug, role);
  }
  return desired;
}

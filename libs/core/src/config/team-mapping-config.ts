import { z } from 'zod';
import { SLUG_PATTERN } from '../naming/slug.js';

/** Team roles by name (the enum lives in libs/auth; config only validates the words). */
const TEAM_ROLE_NAMES = ['MEMBER', 'OWNER'] as const;
export type TeamRoleName = (typeof TEAM_ROLE_NAMES)[number];

/** One directory group → team rule: people in `externalGroup` are members of team `teamSlug` with `role`. */
export interface ExternalTeamMapping {
  /** Lower-cased (Azure AD object ids are case-insensitive GUIDs). */
  externalGroup: string;
  teamSlug: string;
  role: TeamRoleName;
}

const EXAMPLE = '<aad-group-id>=<team-slug>:MEMBER,<aad-group-id>=<team-slug>:OWNER';

/** `AZURE_AD_TEAM_MAPPING`: `<group>=<team-slug>[:MEMBER|OWNER]`, comma-separated; the role defaults to MEMBER. */
export const teamMappingSchema = z
  .string()
  .optional()
  .transform((value, ctx): ExternalTeamMapping[] => {
    const rules: ExternalTeamMapping[] = [];
    for (const pair of (value ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
      const match = /^([^=\s]+)\s*=\s*([^:\s]+)(?:\s*:\s*(\S+))?$/.exec(pair);
      const role = (match?.[3] ?? 'MEMBER').toUpperCase();
      if (!match || !SLUG_PATTERN.test(match[2]) || !TEAM_ROLE_NAMES.includes(role as TeamRoleName)) {
        ctx.addIssue({ code: 'custom', message: `must be a list like ${EXAMPLE} (team slugs in lower case; roles ${TEAM_ROLE_NAMES.join(', ')}); got "${pair}"` });
        return z.NEVER;
      }
      rules.push({ externalGroup: match[1].toLowerCase(), teamSlug: match[2], role: role as TeamRoleName });
    }
    return rules;
  });

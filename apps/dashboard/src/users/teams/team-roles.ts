/** Roles inside a team (TeamRole): OWNERs manage the team and its members and see their members' call logs. */
export const TEAM_ROLES = [
  { value: 'MEMBER', label: 'Member' },
  { value: 'OWNER', label: 'Owner' },
] as const;

export type TeamRoleName = (typeof TEAM_ROLES)[number]['value'];

export function teamRoleLabel(role: string): string {
  return TEAM_ROLES.find((r) => r.value === role)?.label ?? role;
}

/** The hub-wide roles as the API names them, with what each may do (from the access policy). */
export const ROLES = [
  { value: 'ADMIN', label: 'Admin', description: 'Everything, users and every server, group and key included' },
  { value: 'MEMBER', label: 'Member', description: 'Own servers, groups, keys and teams, and what is shared with their teams' },
  { value: 'AUDITOR', label: 'Auditor', description: 'Reads everything, the audit log included; changes nothing' },
] as const;

export type RoleName = (typeof ROLES)[number]['value'];

export const ROLE_COLORS: Record<RoleName, string> = { ADMIN: 'red', MEMBER: 'indigo', AUDITOR: 'grape' };

export function roleLabel(role: string): string {
  return ROLES.find((r) => r.value === role)?.label ?? role;
}

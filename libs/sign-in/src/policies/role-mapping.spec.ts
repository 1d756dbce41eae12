import { describe, expect, it } from '@jest/globals';
import { Role } from '#users';
import type { ExternalProfile } from '../external-profile.js';
import { SignInProvider } from '../sign-in-provider.js';
import { mappedRole } from './role-mapping.js';

const mapping = { hubadmins: 'ADMIN', hubauditors: 'AUDITOR', 'aaaa-group': 'MEMBER' };
const profile = (roles: string[], groups: string[] = []): ExternalProfile => ({
  provider: SignInProvider.AZURE_AD, subject: 's', email: null, emailVerified: false, displayName: null, roles, groups,
});

describe(mappedRole.name, () => {
  it('should map app roles and group ids case-insensitively', () => {
    expect(mappedRole(profile(['HubAdmins']), mapping)).toBe(Role.ADMIN);
    expect(mappedRole(profile([], ['AAAA-GROUP']), mapping)).toBe(Role.MEMBER);
  });

  it('should give the broadest role when several match, and null when none does', () => {
    expect(mappedRole(profile(['HubAuditors'], ['aaaa-group']), mapping)).toBe(Role.AUDITOR);
    expect(mappedRole(profile(['HubAuditors', 'HubAdmins']), mapping)).toBe(Role.ADMIN);
    expect(mappedRole(profile(['Readers']), mapping)).toBeNull();
  });
});

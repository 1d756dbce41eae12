import type { User } from '#users';
import type { ExternalProfile } from './external-profile.js';

/**
 * Hook for the teams feature (not built yet): provide this token from a module that SignInModule imports, and every
 * GitHub / Azure AD sign-in hands it the person's groups (`profile.groups`, `profile.orgs`) to map onto team
 * memberships. Nothing provides it today, so sign-in maps groups to hub roles only (AZURE_AD_ROLE_MAPPING).
 */
export const EXTERNAL_GROUPS_SYNC = Symbol('EXTERNAL_GROUPS_SYNC');

export interface ExternalGroupsSync {
  syncGroups(user: User, profile: ExternalProfile): Promise<void>;
}

import type { User } from '#users';
import type { ExternalProfile } from './external-profile.js';

/**
 * Every GitHub / Azure AD sign-in hands the person's groups (`profile.groups`, `profile.orgs`) to this hook, which
 * maps them onto team memberships (AzureAdTeamsSync: AZURE_AD_TEAM_MAPPING).
 */
export const EXTERNAL_GROUPS_SYNC = Symbol('EXTERNAL_GROUPS_SYNC');

export interface ExternalGroupsSync {
  syncGroups(user: User, profile: ExternalProfile): Promise<void>;
}

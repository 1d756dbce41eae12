import { Injectable } from '@nestjs/common';
import { TeamsService, type User } from '#users';
import type { ExternalGroupsSync } from './external-groups.hook.js';
import type { ExternalProfile } from './external-profile.js';
import { SignInProvider } from './sign-in-provider.js';

/** At each Azure AD sign-in, the person's memberships of mapped teams follow their directory groups (AZURE_AD_TEAM_MAPPING). */
@Injectable()
export class AzureAdTeamsSync implements ExternalGroupsSync {
  constructor(private readonly teams: TeamsService) {}

  async syncGroups(user: User, profile: ExternalProfile): Promise<void> {
    if (profile.provider !== SignInProvider.AZURE_AD) return;
    await this.teams.syncExternalMemberships(user.id, profile.groups ?? []);
  }
}

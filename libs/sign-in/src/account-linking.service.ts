import { Inject, Injectable, Optional } from '@nestjs/common';
import { DomainError, ErrorCode, HUB_CONFIG, PINO, type HubConfig, type Logger } from '#core';
import { Role, UsersService, type User } from '#users';
import { EXTERNAL_GROUPS_SYNC, type ExternalGroupsSync } from './external-groups.hook.js';
import type { ExternalProfile } from './external-profile.js';
import { UserIdentitiesRepository } from './identities/user-identities.repository.js';
import { mappedRole } from './policies/role-mapping.js';
import { SignInErrorCode, SignInFailure } from './sign-in.errors.js';
import { PROVIDER_LABELS, SignInProvider } from './sign-in-provider.js';

const DISPLAY_NAME_MAX = 100;

/**
 * Turns "who is this at the provider" into a hub account: the linked identity's user, else the user with the same
 * VERIFIED email (linked now), else a new member (or the role AZURE_AD_ROLE_MAPPING gives). The only place that
 * creates accounts or identities from a sign-in.
 */
@Injectable()
export class AccountLinkingService {
  constructor(
    private readonly identities: UserIdentitiesRepository,
    private readonly users: UsersService,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    @Inject(PINO) private readonly logger: Logger,
    @Optional() @Inject(EXTERNAL_GROUPS_SYNC) private readonly groupsSync?: ExternalGroupsSync,
  ) {}

  async userFor(profile: ExternalProfile): Promise<User> {
    let user = await this.linkedUser(profile);
    if (!user) {
      const email = this.verifiedEmail(profile);
      user = (await this.users.findByEmail(email)) ?? (await this.provision(profile, email));
      assertActive(user);
      await this.identities.insertIfAbsent({ userId: user.id, provider: profile.provider, subject: profile.subject, email });
      this.logger.info({ userId: user.id, provider: profile.provider }, 'external identity linked by verified email');
    }
    user = await this.syncRole(user, profile);
    await this.groupsSync?.syncGroups(user, profile);
    return user;
  }

  /** A LINK flow came back: refuse an identity that already belongs to someone else. */
  async assertLinkable(userId: string, profile: ExternalProfile): Promise<void> {
    const existing = await this.identities.findByProviderSubject(profile.provider, profile.subject);
    if (existing && existing.userId !== userId) {
      throw new SignInFailure(
        SignInErrorCode.IDENTITY_IN_USE,
        `This ${PROVIDER_LABELS[profile.provider]} account is already linked to another hub account; unlink it there first.`,
        'identity linked to another user',
      );
    }
  }

  private async linkedUser(profile: ExternalProfile): Promise<User | null> {
    const identity = await this.identities.findByProviderSubject(profile.provider, profile.subject);
    if (!identity) return null;
    const user = await this.users.findById(identity.userId);
    if (!user) return null;
    assertActive(user);
    if (profile.email !== identity.email) await this.identities.updateEmail(identity.id, profile.email);
    return user;
  }

  private verifiedEmail(profile: ExternalProfile): string {
    if (profile.email && profile.emailVerified) return profile.email;
    const provider = PROVIDER_LABELS[profile.provider];
    const hint =
      profile.provider === SignInProvider.GITHUB
        ? 'Verify your primary email address on GitHub, then sign in again.'
        : 'Ask your administrator to add the optional "email" and "xms_edov" claims to the app registration\'s ID token.';
    throw new SignInFailure(
      SignInErrorCode.EMAIL_UNVERIFIED,
      `${provider} did not report a verified email address, so no hub account can be matched or created. ${hint}`,
      profile.email ? 'email not verified' : 'no email',
    );
  }

  private async provision(profile: ExternalProfile, email: string): Promise<User> {
    try {
      const user = await this.users.createWithoutPassword({
        email,
        role: this.roleFromMapping(profile) ?? Role.MEMBER,
        displayName: profile.displayName?.trim().slice(0, DISPLAY_NAME_MAX) || null,
      });
      this.logger.info({ userId: user.id, provider: profile.provider, role: user.role }, 'account provisioned from external sign-in');
      return user;
    } catch (error) {
      // A concurrent first sign-in with the same email created it a moment ago.
      if (error instanceof DomainError && error.code === ErrorCode.CONFLICT) {
        const user = await this.users.findByEmail(email);
        if (user) return user;
      }
      throw error;
    }
  }

  /** With AZURE_AD_ROLE_MAPPING set, Azure AD decides the role at every Azure AD sign-in (promotions and demotions). */
  private async syncRole(user: User, profile: ExternalProfile): Promise<User> {
    const mapping = this.config.signIn.azureAd?.roleMapping;
    if (profile.provider !== SignInProvider.AZURE_AD || !mapping || !Object.keys(mapping).length) return user;
    const role = this.roleFromMapping(profile) ?? Role.MEMBER;
    if (role === user.role) return user;
    try {
      return await this.users.update(user.id, { role });
    } catch (error) {
      if (!(error instanceof DomainError && error.code === ErrorCode.CONFLICT)) throw error;
      // The last enabled admin keeps the role so the hub stays administrable.
      this.logger.warn({ userId: user.id, from: user.role, to: role }, 'Azure AD role mapping not applied: last enabled admin');
      return user;
    }
  }

  private roleFromMapping(profile: ExternalProfile): Role | null {
    const mapping = this.config.signIn.azureAd?.roleMapping;
    return profile.provider === SignInProvider.AZURE_AD && mapping ? mappedRole(profile, mapping) : null;
  }
}

function assertActive(user: User): void {
  if (user.disabled) {
    throw new SignInFailure(SignInErrorCode.ACCOUNT_DISABLED, 'Your hub account is disabled; ask an administrator.', 'account disabled');
  }
}

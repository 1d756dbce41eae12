import type { SignInConfig } from '#core';
import type { ExternalProfile } from '../external-profile.js';
import { SignInErrorCode, SignInFailure } from '../sign-in.errors.js';
import { SignInProvider } from '../sign-in-provider.js';

/**
 * Who may sign in at all, from the provider's answer alone (before any account is looked at): GitHub organizations,
 * Azure AD tenants, MFA. Throws SignInFailure with a message the person can act on.
 */
export function assertSignInAllowed(profile: ExternalProfile, config: SignInConfig): void {
  if (profile.provider === SignInProvider.GITHUB && config.github) {
    const allowed = config.github.allowedOrgs;
    if (allowed.length && !profile.orgs?.some((org) => allowed.includes(org))) {
      throw new SignInFailure(
        SignInErrorCode.ORG_NOT_ALLOWED,
        `Your GitHub account is not a member of an allowed organization (${allowed.join(', ')}). ` +
          'If it is, grant this app access to the organization on GitHub and try again.',
        `member of ${profile.orgs?.length ?? 0} organization(s), none allowed`,
      );
    }
  }
  if (profile.provider === SignInProvider.AZURE_AD && config.azureAd) {
    const { allowedTenants, requireMfa } = config.azureAd;
    if (allowedTenants.length && !(profile.tenantId && allowedTenants.includes(profile.tenantId))) {
      throw new SignInFailure(
        SignInErrorCode.TENANT_NOT_ALLOWED,
        'Your Azure AD organization (tenant) is not allowed to sign in to this hub.',
        `tenant ${profile.tenantId ?? '(none)'} not in the allowed list`,
      );
    }
    if (requireMfa && !profile.amr?.includes('mfa')) {
      throw new SignInFailure(
        SignInErrorCode.MFA_REQUIRED,
        'This hub requires multi-factor authentication, but Azure AD did not report any for this sign-in (the token\'s ' +
          '"amr" claim lacks "mfa"). Sign in again using MFA, or ask your administrator to require MFA for this app.',
        `amr=[${profile.amr?.join(',') ?? ''}]`,
      );
    }
  }
}

import { describe, expect, it } from '@jest/globals';
import type { SignInConfig } from '#core';
import type { ExternalProfile } from '../external-profile.js';
import { SignInErrorCode, SignInFailure } from '../sign-in.errors.js';
import { SignInProvider } from '../sign-in-provider.js';
import { assertSignInAllowed } from './sign-in-policy.js';

const github: SignInConfig['github'] = { clientId: 'c', clientSecret: 's', authorizeUrl: 'a', tokenUrl: 't', apiUrl: 'u', allowedOrgs: ['acme'] };
const azureAd: SignInConfig['azureAd'] = {
  tenantId: 't1', clientId: 'c', clientSecret: 's', metadataUrl: 'm', allowedTenants: ['t1'], requireMfa: true, roleMapping: {},
};
const profile = (p: Partial<ExternalProfile>): ExternalProfile => ({
  provider: SignInProvider.GITHUB, subject: '1', email: 'a@b.c', emailVerified: true, displayName: null, ...p,
});

function refusal(p: ExternalProfile, config: SignInConfig): SignInErrorCode | undefined {
  try {
    assertSignInAllowed(p, config);
    return undefined;
  } catch (error) {
    return (error as SignInFailure).code;
  }
}

describe(assertSignInAllowed.name, () => {
  it('should allow a GitHub member of an allowed organization and refuse others', () => {
    expect(refusal(profile({ orgs: ['other', 'acme'] }), { github })).toBeUndefined();
    expect(refusal(profile({ orgs: ['other'] }), { github })).toBe(SignInErrorCode.ORG_NOT_ALLOWED);
    expect(refusal(profile({ orgs: undefined }), { github })).toBe(SignInErrorCode.ORG_NOT_ALLOWED);
    expect(refusal(profile({ orgs: [] }), { github: { ...github, allowedOrgs: [] } })).toBeUndefined();
  });

  it('should refuse an Azure AD tenant that is not allowed, and a sign-in without mfa when MFA is required', () => {
    const azure = (p: Partial<ExternalProfile>) => profile({ provider: SignInProvider.AZURE_AD, tenantId: 't1', amr: ['pwd', 'mfa'], ...p });
    expect(refusal(azure({}), { azureAd })).toBeUndefined();
    expect(refusal(azure({ tenantId: 't2' }), { azureAd })).toBe(SignInErrorCode.TENANT_NOT_ALLOWED);
    expect(refusal(azure({ tenantId: undefined }), { azureAd })).toBe(SignInErrorCode.TENANT_NOT_ALLOWED);
    expect(refusal(azure({ amr: ['pwd'] }), { azureAd })).toBe(SignInErrorCode.MFA_REQUIRED);
    expect(refusal(azure({ amr: undefined }), { azureAd })).toBe(SignInErrorCode.MFA_REQUIRED);
    expect(refusal(azure({ amr: ['pwd'] }), { azureAd: { ...azureAd, requireMfa: false } })).toBeUndefined();
  });
});

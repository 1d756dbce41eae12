import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { parseConfig } from './hub-config.js';

const base = { HUB_ENCRYPTION_KEY: randomBytes(32).toString('hex'), JWT_SECRET: 'x'.repeat(40) };
const azure = { AZURE_AD_CLIENT_ID: 'app', AZURE_AD_CLIENT_SECRET: 's', AZURE_AD_TENANT_ID: 'contoso.onmicrosoft.com' };

describe('sign-in configuration', () => {
  it('should leave both providers off when no client id is set', () => {
    expect(parseConfig(base).signIn).toEqual({});
  });

  it.each([
    [{ GITHUB_CLIENT_ID: 'gh' }, 'GITHUB_CLIENT_SECRET', /is required when GITHUB_CLIENT_ID is set/],
    [{ AZURE_AD_CLIENT_ID: 'app', AZURE_AD_TENANT_ID: 't' }, 'AZURE_AD_CLIENT_SECRET', /is required when AZURE_AD_CLIENT_ID is set/],
    [{ AZURE_AD_CLIENT_ID: 'app', AZURE_AD_CLIENT_SECRET: 's' }, 'AZURE_AD_TENANT_ID', /is required when AZURE_AD_CLIENT_ID is set/],
    [{ ...azure, AZURE_AD_TENANT_ID: 'organizations' }, 'AZURE_AD_ALLOWED_TENANTS', /is required when AZURE_AD_TENANT_ID is organizations/],
    [{ ...azure, AZURE_AD_METADATA_URL: 'http://127.0.0.1/x' }, 'AZURE_AD_METADATA_URL', /https/],
    [{ ...azure, AZURE_AD_ROLE_MAPPING: 'HubAdmins=ROOT' }, 'AZURE_AD_ROLE_MAPPING', /HubAdmins=ROOT/],
    [{ ...azure, AZURE_AD_REQUIRE_MFA: 'yes' }, 'AZURE_AD_REQUIRE_MFA', /true|false/],
  ])('should name the missing or bad variable for %j', (env, variable, message) => {
    expect(() => parseConfig({ ...base, ...env })).toThrow(new RegExp(`^Invalid configuration: ${variable} `));
    expect(() => parseConfig({ ...base, ...env })).toThrow(message);
  });

  it('should not require another provider\'s settings', () => {
    expect(parseConfig({ ...base, GITHUB_CLIENT_ID: 'gh', GITHUB_CLIENT_SECRET: 's' }).signIn.azureAd).toBeUndefined();
  });

  it('should default GitHub to github.com and normalise allowed organizations', () => {
    const { github } = parseConfig({ ...base, GITHUB_CLIENT_ID: 'gh', GITHUB_CLIENT_SECRET: 's', GITHUB_ALLOWED_ORGS: ' Acme, Beta ' }).signIn;
    expect(github).toEqual({
      clientId: 'gh',
      clientSecret: 's',
      authorizeUrl: 'https://github.com/login/oauth/authorize',
      tokenUrl: 'https://github.com/login/oauth/access_token',
      apiUrl: 'https://api.github.com',
      allowedOrgs: ['acme', 'beta'],
    });
  });

  it('should build the tenant metadata URL, the common one for multi-tenant apps, and parse the role mapping', () => {
    const single = parseConfig({ ...base, ...azure, AZURE_AD_ROLE_MAPPING: 'HubAdmins=ADMIN, 0000-AB=AUDITOR', AZURE_AD_REQUIRE_MFA: 'true' }).signIn.azureAd!;
    expect(single.metadataUrl).toBe('https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration');
    expect(single.roleMapping).toEqual({ hubadmins: 'ADMIN', '0000-ab': 'AUDITOR' });
    expect(single.requireMfa).toBe(true);
    const multi = parseConfig({ ...base, ...azure, AZURE_AD_TENANT_ID: 'common', AZURE_AD_ALLOWED_TENANTS: 'T1' }).signIn.azureAd!;
    expect(multi.metadataUrl).toBe('https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration');
    expect(multi.allowedTenants).toEqual(['t1']);
  });
});

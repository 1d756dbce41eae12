import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Browser, landingParams } from '../support/browser.js';
import { GraphQLClient } from '../support/graphql-client.js';
import { startHub, type RunningHub } from '../support/hub-app.js';
import { hubTargetRows } from '../support/hub-targets.js';
import { selfSignedTls, startAzureAdStandIn, trustForHttpsGlobalAgent, type AzureAdStandIn, type TestTls } from '../support/sso-stand-ins.js';

const TENANT = '11111111-2222-3333-4444-555555555555';
const OTHER_TENANT = '99999999-8888-7777-6666-555555555555';
const CLIENT_ID = 'hub-app-client-id';
const AUDITORS_GROUP = 'aaaaaaaa-0000-0000-0000-00000000000a';

/** What Entra ID puts in an id_token for a person who signed in with MFA and has a domain-verified email. */
const person = (sub: string, email: string, extra: Record<string, unknown> = {}) => ({
  sub,
  email,
  xms_edov: true,
  name: sub,
  tid: TENANT,
  amr: ['pwd', 'mfa'],
  ...extra,
});

const EXCHANGE = 'mutation($c:String!){ exchangeSignInCode(code:$c){ accessToken user { id email role } } }';

const PLATFORM_GROUP = 'bbbbbbbb-0000-0000-0000-00000000000b';

describe.each(hubTargetRows)('Sign in with Azure AD (%s)', (_name, target) => {
  let tls: TestTls;
  let untrust: () => void;
  let azure: AzureAdStandIn;
  let hub: RunningHub;

  beforeAll(async () => {
    tls = selfSignedTls();
    untrust = trustForHttpsGlobalAgent(tls.cert);
    azure = await startAzureAdStandIn(tls, TENANT);
    hub = await startHub(target.database, {
      ...target.env,
      AZURE_AD_TENANT_ID: TENANT,
      AZURE_AD_CLIENT_ID: CLIENT_ID,
      AZURE_AD_CLIENT_SECRET: 'hub-app-secret',
      AZURE_AD_METADATA_URL: azure.metadataUrl,
      AZURE_AD_ALLOWED_TENANTS: TENANT,
      AZURE_AD_REQUIRE_MFA: 'true',
      AZURE_AD_ROLE_MAPPING: `HubAdmins=ADMIN,${AUDITORS_GROUP}=AUDITOR`,
      AZURE_AD_TEAM_MAPPING: `${PLATFORM_GROUP}=platform:OWNER`,
    });
  });
  afterEach(() => azure.reset());
  afterAll(async () => {
    await hub?.close();
    await azure?.stop();
    untrust?.();
    tls?.dispose();
  });

  const isLanding = (location: string) => location.startsWith(`${hub.url}/sign-in/callback`);
  const isCallback = (location: string) => location.startsWith(`${hub.url}/auth/azure-ad/callback`);

  async function signIn(claims: Record<string, unknown>, browser = new Browser({ ca: tls.cert })): Promise<Record<string, string>> {
    azure.setClaims(claims);
    return landingParams(await browser.followUntil(`${hub.url}/auth/azure-ad`, isLanding));
  }

  async function exchange(code: string) {
    return new GraphQLClient(hub.url).data<{ exchangeSignInCode: { accessToken: string; user: { id: string; email: string; role: string } } }>(
      EXCHANGE,
      { c: code },
    );
  }

  it('should list only Azure AD in signInProviders and answer 404 on the GitHub routes', async () => {
    const { signInProviders } = await new GraphQLClient(hub.url).data<{ signInProviders: { provider: string }[] }>('{ signInProviders { provider } }');
    expect(signInProviders).toEqual([{ provider: 'AZURE_AD' }]);
    expect((await new Browser().request(`${hub.url}/auth/github`)).status).toBe(404);
    expect((await new Browser().request(`${hub.url}/auth/github/callback?code=x&state=y`)).status).toBe(404);
  });

  it('should send the browser to Azure AD with state, nonce, PKCE S256 and the registered redirect URI', async () => {
    const res = await new Browser({ ca: tls.cert }).request(`${hub.url}/auth/azure-ad`);
    const authorize = new URL(res.location!);
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${hub.url}/auth/azure-ad/callback`);
    expect(authorize.searchParams.get('response_type')).toBe('code');
    expect(authorize.searchParams.get('client_id')).toBe(CLIENT_ID);
    expect(authorize.searchParams.get('state')).toBeTruthy();
    expect(authorize.searchParams.get('nonce')).toBeTruthy();
    expect(authorize.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
  });

  it('should provision a new person with the role their app roles or groups map to', async () => {
    const admin = await exchange((await signIn(person('sub-ada', 'Ada@Contoso.com', { roles: ['HubAdmins'] }))).code);
    expect(admin.exchangeSignInCode.user).toMatchObject({ email: 'ada@contoso.com', role: 'ADMIN' });
    const auditor = await exchange((await signIn(person('sub-aud', 'aud@contoso.com', { groups: [AUDITORS_GROUP.toUpperCase()] }))).code);
    expect(auditor.exchangeSignInCode.user).toMatchObject({ role: 'AUDITOR' });
    const member = await exchange((await signIn(person('sub-mem', 'mem@contoso.com'))).code);
    expect(member.exchangeSignInCode.user).toMatchObject({ role: 'MEMBER' });

    // Azure AD decides roles at each sign-in: the auditor left the group.
    const again = await exchange((await signIn(person('sub-aud', 'aud@contoso.com', { groups: [] }))).code);
    expect(again.exchangeSignInCode.user).toMatchObject({ id: auditor.exchangeSignInCode.user.id, role: 'MEMBER' });
  });

  it('should make memberships of mapped teams follow the directory groups at each sign-in', async () => {
    const admin = new GraphQLClient(hub.url);
    await admin.login('admin@example.com', 'admin-password-123');
    await admin.data('mutation { createTeam(input: { name: "Platform", slug: "platform" }){ id } }');
    const joined = await exchange((await signIn(person('sub-plat', 'plat@contoso.com', { groups: [PLATFORM_GROUP] }))).code);
    const member = new GraphQLClient(hub.url, joined.exchangeSignInCode.accessToken);
    expect((await member.data<{ teams: { slug: string; myRole: string }[] }>('{ teams { slug myRole } }')).teams).toEqual([{ slug: 'platform', myRole: 'OWNER' }]);
    // Left the directory group: the next sign-in takes the membership away.
    const left = await exchange((await signIn(person('sub-plat', 'plat@contoso.com', { groups: [] }))).code);
    const after = new GraphQLClient(hub.url, left.exchangeSignInCode.accessToken);
    expect((await after.data<{ teams: { slug: string }[] }>('{ teams { slug } }')).teams).toEqual([]);
  });

  it('should link the existing account with the same verified email', async () => {
    const admin = new GraphQLClient(hub.url);
    await admin.login('admin@example.com', 'admin-password-123');
    const { createUser } = await admin.data<{ createUser: { id: string } }>(
      'mutation{ createUser(input:{ email:"lin@contoso.com", password:"lin-password-1234" }){ id } }',
    );
    const { exchangeSignInCode } = await exchange((await signIn(person('sub-lin', 'lin@contoso.com'))).code);
    expect(exchangeSignInCode.user.id).toBe(createUser.id);
  });

  it('should accept the callback as a form_post too', async () => {
    azure.setClaims(person('sub-post', 'post@contoso.com'));
    const browser = new Browser({ ca: tls.cert });
    const callback = new URL(await browser.followUntil(`${hub.url}/auth/azure-ad`, isCallback));
    const res = await browser.request(`${callback.origin}${callback.pathname}`, { method: 'POST', form: Object.fromEntries(callback.searchParams) });
    expect(landingParams(res.location!).code).toBeDefined();
  });

  it.each([
    ['another issuer', { iss: 'https://login.example.net/evil/v2.0' }, /issuer is not the configured Azure AD tenant/],
    ['another audience', { aud: 'some-other-app' }, /issued to another application/],
    ['an expired token', { exp: Math.floor(Date.now() / 1000) - 3600, iat: Math.floor(Date.now() / 1000) - 7200, nbf: Math.floor(Date.now() / 1000) - 7200 }, /expired/],
  ])('should refuse an id_token with %s', async (_what, bad, message) => {
    const landing = await signIn(person('sub-bad', 'bad@contoso.com', bad));
    expect(landing).toMatchObject({ error: 'id_token_invalid' });
    expect(landing.message).toMatch(message);
    expect(landing.code).toBeUndefined();
  });

  it('should refuse a tenant that is not allowed', async () => {
    const landing = await signIn(person('sub-t', 't@fabrikam.com', { tid: OTHER_TENANT }));
    expect(landing).toMatchObject({ error: 'tenant_not_allowed' });
  });

  it('should refuse a sign-in without MFA when AZURE_AD_REQUIRE_MFA=true, with a clear message', async () => {
    const landing = await signIn(person('sub-nomfa', 'nomfa@contoso.com', { amr: ['pwd'] }));
    expect(landing).toMatchObject({ error: 'mfa_required' });
    expect(landing.message).toMatch(/requires multi-factor authentication.*"amr" claim lacks "mfa"/);
  });

  it('should refuse an email Azure AD does not vouch for (no email_verified or xms_edov)', async () => {
    const landing = await signIn(person('sub-unv', 'lin@contoso.com', { xms_edov: undefined }));
    expect(landing).toMatchObject({ error: 'email_unverified' });
  });

  it('should refuse an unknown state and a replayed callback', async () => {
    azure.setClaims(person('sub-st', 'st@contoso.com'));
    const browser = new Browser({ ca: tls.cert });
    const callback = new URL(await browser.followUntil(`${hub.url}/auth/azure-ad`, isCallback));
    const tampered = new URL(callback);
    tampered.searchParams.set('state', 'not-a-state-we-issued');
    expect(landingParams((await browser.request(tampered.toString())).location!)).toMatchObject({ error: 'invalid_state' });
    expect(landingParams((await browser.request(callback.toString())).location!).code).toBeDefined();
    expect(landingParams((await browser.request(callback.toString())).location!)).toMatchObject({ error: 'invalid_state' });
  });

  it('should refuse a leaked authorization code carried into another flow (PKCE)', async () => {
    azure.setClaims(person('sub-victim', 'victim@contoso.com'));
    const victimCallback = new URL(await new Browser({ ca: tls.cert }).followUntil(`${hub.url}/auth/azure-ad`, isCallback));
    const attacker = new Browser({ ca: tls.cert });
    const attackerCallback = new URL(await attacker.followUntil(`${hub.url}/auth/azure-ad`, isCallback));
    attackerCallback.searchParams.set('code', victimCallback.searchParams.get('code')!);
    const landing = landingParams((await attacker.request(attackerCallback.toString())).location!);
    expect(landing).toMatchObject({ error: 'token_exchange_failed' });
  });
});

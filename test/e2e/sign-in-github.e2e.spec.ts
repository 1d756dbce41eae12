import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Browser, landingParams, randomClientIp } from '../support/browser.js';
import { GraphQLClient, errorCode } from '../support/graphql-client.js';
import { startHub, type RunningHub } from '../support/hub-app.js';
import { hubTargetRows } from '../support/hub-targets.js';
import { startGitHubStandIn, type GitHubAccount, type GitHubStandIn } from '../support/sso-stand-ins.js';
import { waitFor } from '../support/upstreams.js';
import { CodePurpose } from '../../libs/sign-in/src/codes/sign-in-code.entity.js';
import { SignInCodesRepository } from '../../libs/sign-in/src/codes/sign-in-codes.repository.js';
import { SignInProvider } from '#sign-in';

const account = (id: number, login: string, email: string, opts: { verified?: boolean; orgs?: string[] } = {}): GitHubAccount => ({
  id,
  login,
  name: login,
  emails: [{ email, primary: true, verified: opts.verified ?? true }],
  orgs: opts.orgs ?? ['acme'],
});

const ALICE = account(1001, 'alice', 'alice@example.com');
const BOB = account(1002, 'bob', 'Bob@Example.com');
const CAROL = account(1003, 'carol', 'carol@example.com', { verified: false });
const DAVE = account(1004, 'dave', 'dave@example.com', { orgs: ['other-org'] });
const ERIN_GH = account(1005, 'erin-gh', 'erin.personal@example.com');
const MALLORY = account(1006, 'mallory', 'mallory@example.com');
const FRANK = account(1007, 'frank', 'frank@example.com');
const GINA = account(1008, 'gina', 'gina@example.com');

const EXCHANGE = 'mutation($c:String!){ exchangeSignInCode(code:$c){ accessToken refreshToken user { id email role } } }';

describe.each(hubTargetRows)('Sign in with GitHub (%s)', (_name, target) => {
  let github: GitHubStandIn;
  let hub: RunningHub;
  let admin: GraphQLClient;

  beforeAll(async () => {
    github = await startGitHubStandIn();
    hub = await startHub(target.database, {
      ...target.env,
      GITHUB_CLIENT_ID: 'hub-client',
      GITHUB_CLIENT_SECRET: 'hub-secret',
      GITHUB_AUTHORIZE_URL: github.authorizeUrl,
      GITHUB_TOKEN_URL: github.tokenUrl,
      GITHUB_API_URL: github.apiUrl,
      GITHUB_ALLOWED_ORGS: 'Acme',
    });
    admin = new GraphQLClient(hub.url);
    await admin.login('admin@example.com', 'admin-password-123');
  });
  afterAll(async () => {
    await hub?.close();
    await github?.stop();
  });

  const isLanding = (location: string) => location.startsWith(`${hub.url}/sign-in/callback`);
  const isCallback = (location: string) => location.startsWith(`${hub.url}/auth/github/callback`);

  /** A browser signs in at GitHub as `who` and comes back to the dashboard page; returns its query. */
  async function signIn(who: GitHubAccount, browser = new Browser()): Promise<Record<string, string>> {
    github.signInAs(who);
    return landingParams(await browser.followUntil(`${hub.url}/auth/github`, isLanding));
  }

  async function exchange(code: string) {
    return new GraphQLClient(hub.url).request<{ exchangeSignInCode: { accessToken: string; user: { id: string; email: string; role: string } } }>(
      EXCHANGE,
      { c: code },
    );
  }

  async function clientFor(who: GitHubAccount): Promise<GraphQLClient> {
    const { code } = await signIn(who);
    const res = await exchange(code);
    return new GraphQLClient(hub.url, res.data!.exchangeSignInCode.accessToken);
  }

  it('should list only GitHub in signInProviders and answer 404 on the Azure AD routes', async () => {
    const { signInProviders } = await new GraphQLClient(hub.url).data<{ signInProviders: { provider: string; startUrl: string }[] }>(
      '{ signInProviders { provider label startUrl } }',
    );
    expect(signInProviders).toEqual([expect.objectContaining({ provider: 'GITHUB', startUrl: `${hub.url}/auth/github` })]);
    const browser = new Browser();
    expect((await browser.request(`${hub.url}/auth/azure-ad`)).status).toBe(404);
    expect((await browser.request(`${hub.url}/auth/azure-ad/callback?code=x&state=y`)).status).toBe(404);
  });

  it('should send the browser to GitHub with state, PKCE S256 and the registered redirect URI', async () => {
    const browser = new Browser();
    const res = await browser.request(`${hub.url}/auth/github`);
    expect(res.status).toBe(302);
    const authorize = new URL(res.location!);
    expect(`${authorize.origin}${authorize.pathname}`).toBe(github.authorizeUrl);
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${hub.url}/auth/github/callback`);
    expect(authorize.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(authorize.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('scope')).toBe('read:user,user:email,read:org');
    expect(browser.hasCookie(new URL(hub.url).host, 'mcphub_sso')).toBe(true);
  });

  it('should provision a member for a new GitHub account and hand the dashboard a one-time code, not tokens', async () => {
    const landing = await signIn(ALICE);
    expect(Object.keys(landing)).toEqual(['code']);
    const res = await exchange(landing.code);
    expect(res.errors).toBeUndefined();
    const session = res.data!.exchangeSignInCode;
    expect(session.user).toMatchObject({ email: 'alice@example.com', role: 'MEMBER' });
    const alice = new GraphQLClient(hub.url, session.accessToken);
    const { myIdentities } = await alice.data<{ myIdentities: { provider: string; email: string }[] }>('{ myIdentities { id provider email createdAt } }');
    expect(myIdentities).toEqual([expect.objectContaining({ provider: 'GITHUB', email: 'alice@example.com' })]);

    // Signing in again finds the same account through the identity.
    const again = await exchange((await signIn(ALICE)).code);
    expect(again.data!.exchangeSignInCode.user.id).toBe(session.user.id);
  });

  it('should refuse a one-time code the second time', async () => {
    const { code } = await signIn(ALICE);
    expect((await exchange(code)).errors).toBeUndefined();
    const replay = await exchange(code);
    expect(errorCode(replay)).toBe('UNAUTHENTICATED');
    expect(replay.errors![0].message).toMatch(/invalid, expired or already used/);
  });

  it('should stop one client address from starting more than 20 flows a minute', async () => {
    const clientIp = randomClientIp();
    const starts = await Promise.all(Array.from({ length: 21 }, () => new Browser({ clientIp }).request(`${hub.url}/auth/github`)));
    const limited = starts.filter((res) => res.location?.startsWith(`${hub.url}/sign-in/callback`));
    expect(starts.filter((res) => res.location?.startsWith(github.authorizeUrl))).toHaveLength(20);
    expect(limited).toHaveLength(1);
    expect(landingParams(limited[0].location!)).toMatchObject({ error: 'rate_limited' });
    // Another address is not affected.
    expect((await new Browser().request(`${hub.url}/auth/github`)).location).toMatch(new RegExp(`^${github.authorizeUrl}`));
  });

  it('should refuse a one-time code after it expired', async () => {
    const { exchangeSignInCode } = await exchange((await signIn(ALICE)).code).then((r) => r.data!);
    // The real repository, with a lifetime short enough to wait out (the hub uses 60 s).
    const codes = hub.app.get(SignInCodesRepository, { strict: false });
    const expiresAt = Date.now() + 300;
    const code = await codes.issue({ purpose: CodePurpose.SIGN_IN, userId: exchangeSignInCode.user.id, provider: SignInProvider.GITHUB, ttlMs: 300 });
    await waitFor(() => Date.now() > expiresAt + 50, 5_000, 'the code to expire');
    expect(errorCode(await exchange(code))).toBe('UNAUTHENTICATED');
  });

  it('should link an existing account by its verified email instead of creating another', async () => {
    const { createUser } = await admin.data<{ createUser: { id: string } }>(
      'mutation{ createUser(input:{ email:"bob@example.com", password:"bob-password-1234" }){ id } }',
    );
    const res = await exchange((await signIn(BOB)).code);
    expect(res.data!.exchangeSignInCode.user).toMatchObject({ id: createUser.id, email: 'bob@example.com' });
  });

  it('should refuse an account whose email GitHub has not verified, and create nothing', async () => {
    const landing = await signIn(CAROL);
    expect(landing.error).toBe('email_unverified');
    expect(landing.message).toMatch(/verified email/);
    expect(landing.code).toBeUndefined();
    const { users } = await admin.data<{ users: { email: string }[] }>('{ users(first: 100) { email } }');
    expect(users.map((u) => u.email)).not.toContain('carol@example.com');
  });

  it('should refuse a GitHub account outside GITHUB_ALLOWED_ORGS', async () => {
    const landing = await signIn(DAVE);
    expect(landing).toMatchObject({ error: 'org_not_allowed' });
    expect(landing.message).toMatch(/not a member of an allowed organization \(acme\)/);
  });

  it('should refuse a callback whose state is unknown or was started in another browser', async () => {
    // Tampered state, same browser.
    const browser = new Browser();
    github.signInAs(ALICE);
    const callback = new URL(await browser.followUntil(`${hub.url}/auth/github`, isCallback));
    const tampered = new URL(callback);
    tampered.searchParams.set('state', 'x'.repeat(43));
    expect(landingParams((await browser.request(tampered.toString())).location!)).toMatchObject({ error: 'invalid_state' });

    // Login CSRF: the attacker's own callback URL opened in the victim's browser (no binding for that flow).
    const attacker = new Browser();
    github.signInAs(MALLORY);
    const attackerCallback = await attacker.followUntil(`${hub.url}/auth/github`, isCallback);
    const victim = new Browser();
    await victim.request(`${hub.url}/auth/github`); // the victim has a binding cookie of its own
    const landing = landingParams((await victim.request(attackerCallback)).location!);
    expect(landing).toMatchObject({ error: 'invalid_state' });
    expect(landing.code).toBeUndefined();
    // A browser that never started a flow has no binding at all.
    expect(landingParams((await new Browser().request(attackerCallback)).location!)).toMatchObject({ error: 'invalid_state' });
  });

  it('should refuse a replayed authorization code, also when injected into a fresh flow (PKCE)', async () => {
    const browser = new Browser();
    github.signInAs(ALICE);
    const callback = await browser.followUntil(`${hub.url}/auth/github`, isCallback);
    const first = landingParams((await browser.request(callback)).location!);
    expect(first.code).toBeDefined();
    // The same callback again: its state was used up.
    expect(landingParams((await browser.request(callback)).location!)).toMatchObject({ error: 'invalid_state' });

    // A leaked code carried into a flow the attacker started: its PKCE verifier does not match the code's challenge.
    github.signInAs(ALICE);
    const victimCallback = new URL(await new Browser().followUntil(`${hub.url}/auth/github`, isCallback));
    const attacker = new Browser();
    github.signInAs(MALLORY);
    const attackerCallback = new URL(await attacker.followUntil(`${hub.url}/auth/github`, isCallback));
    attackerCallback.searchParams.set('code', victimCallback.searchParams.get('code')!);
    const injected = landingParams((await attacker.request(attackerCallback.toString())).location!);
    expect(injected).toMatchObject({ error: 'token_exchange_failed' });
    expect(injected.code).toBeUndefined();
  });

  it('should not repeat provider-supplied text from an error callback', async () => {
    const landing = landingParams(
      (await new Browser().request(`${hub.url}/auth/github/callback?error=access_denied&error_description=Call%20us%20at%20evil`)).location!,
    );
    expect(landing).toEqual({ error: 'provider_error', message: 'GitHub sign-in was cancelled or not allowed' });
  });

  it('should link GitHub to the signed-in account only when the same user confirms it', async () => {
    const { createUser } = await admin.data<{ createUser: { id: string } }>(
      'mutation{ createUser(input:{ email:"erin@example.com", password:"erin-password-1234" }){ id } }',
    );
    const erin = new GraphQLClient(hub.url);
    await erin.login('erin@example.com', 'erin-password-1234');
    const { linkProvider } = await erin.data<{ linkProvider: { url: string } }>('mutation{ linkProvider(provider: GITHUB){ url expiresAt } }');
    expect(linkProvider.url).toMatch(new RegExp(`^${hub.url}/auth/github\\?link=`));

    // Someone else (here: Mallory, signed in) cannot confirm Erin's link, and the attempt burns the code.
    const browser = new Browser();
    github.signInAs(ERIN_GH);
    const { linkCode } = landingParams(await browser.followUntil(linkProvider.url, isLanding));
    expect(linkCode).toBeDefined();
    const mallory = await clientFor(MALLORY);
    const stolen = await mallory.request('mutation($c:String!){ completeProviderLink(code:$c){ id } }', { c: linkCode });
    expect(errorCode(stolen)).toBe('FORBIDDEN');
    expect(errorCode(await erin.request('mutation($c:String!){ completeProviderLink(code:$c){ id } }', { c: linkCode }))).toBe('BAD_USER_INPUT');

    // The ticket was single use too.
    const reused = landingParams(await new Browser().followUntil(linkProvider.url, isLanding));
    expect(reused).toMatchObject({ error: 'invalid_link_request' });

    const second = await erin.data<{ linkProvider: { url: string } }>('mutation{ linkProvider(provider: GITHUB){ url } }');
    github.signInAs(ERIN_GH);
    const confirmed = landingParams(await new Browser().followUntil(second.linkProvider.url, isLanding));
    const { completeProviderLink } = await erin.data<{ completeProviderLink: { provider: string; email: string } }>(
      'mutation($c:String!){ completeProviderLink(code:$c){ provider email } }',
      { c: confirmed.linkCode },
    );
    expect(completeProviderLink).toEqual({ provider: 'GITHUB', email: 'erin.personal@example.com' });
    // The GitHub account (another email) now signs in as Erin.
    expect((await exchange((await signIn(ERIN_GH)).code)).data!.exchangeSignInCode.user.id).toBe(createUser.id);

    // An identity linked to Erin cannot be linked by Alice as well.
    const alice = await clientFor(ALICE);
    const aliceLink = await alice.data<{ linkProvider: { url: string } }>('mutation{ linkProvider(provider: GITHUB){ url } }');
    github.signInAs(ERIN_GH);
    expect(landingParams(await new Browser().followUntil(aliceLink.linkProvider.url, isLanding))).toMatchObject({ error: 'identity_in_use' });
  });

  it("should refuse to unlink a password-less account's last identity, and allow it when a password remains", async () => {
    const gina = await clientFor(GINA);
    const { myIdentities } = await gina.data<{ myIdentities: { id: string }[] }>('{ myIdentities { id } }');
    const refused = await gina.request('mutation($id:ID!){ unlinkIdentity(id:$id) }', { id: myIdentities[0].id });
    expect(errorCode(refused)).toBe('CONFLICT');
    expect(refused.errors![0].message).toMatch(/last way to sign in/);

    await admin.data('mutation{ createUser(input:{ email:"frank@example.com", password:"frank-password-1234" }){ id } }');
    await signIn(FRANK); // linked by verified email
    const frank = new GraphQLClient(hub.url);
    await frank.login('frank@example.com', 'frank-password-1234');
    const frankIdentities = await frank.data<{ myIdentities: { id: string }[] }>('{ myIdentities { id } }');
    expect(frankIdentities.myIdentities).toHaveLength(1);
    // Someone else's identity is not found, whoever asks.
    expect(errorCode(await gina.request('mutation($id:ID!){ unlinkIdentity(id:$id) }', { id: frankIdentities.myIdentities[0].id }))).toBe('NOT_FOUND');
    expect(await frank.data('mutation($id:ID!){ unlinkIdentity(id:$id) }', { id: frankIdentities.myIdentities[0].id })).toEqual({ unlinkIdentity: true });
    expect((await frank.data<{ myIdentities: unknown[] }>('{ myIdentities { id } }')).myIdentities).toEqual([]);
  });
});

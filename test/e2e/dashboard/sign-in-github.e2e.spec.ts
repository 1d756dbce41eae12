import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { databaseTargets } from '../../support/database-targets.js';
import { launchChromium, newDashboardContext, seriousA11yViolations, signIn, storedRefreshToken } from '../../support/dashboard.js';
import { GraphQLClient } from '../../support/graphql-client.js';
import { startHub, type RunningHub } from '../../support/hub-app.js';
import { startGitHubStandIn, type GitHubAccount, type GitHubStandIn } from '../../support/sso-stand-ins.js';

const account = (id: number, login: string, email: string, orgs = ['acme']): GitHubAccount => ({
  id,
  login,
  name: login,
  emails: [{ email, primary: true, verified: true }],
  orgs,
});
const ALICE = account(2001, 'alice', 'alice@example.com');
const DAVE = account(2004, 'dave', 'dave@example.com', ['other-org']);
const ADMIN_GH = account(2009, 'the-admin', 'admin.personal@example.com');

/** The browser side of "Sign in with GitHub": the button, the provider round trip, the callback page's code exchange. */
describe('dashboard: sign in with GitHub (stand-in provider on loopback)', () => {
  let github: GitHubStandIn;
  let hub: RunningHub;
  let browser: Browser;

  beforeAll(async () => {
    github = await startGitHubStandIn();
    hub = await startHub(databaseTargets[0], {
      GITHUB_CLIENT_ID: 'hub-client',
      GITHUB_CLIENT_SECRET: 'hub-secret',
      GITHUB_AUTHORIZE_URL: github.authorizeUrl,
      GITHUB_TOKEN_URL: github.tokenUrl,
      GITHUB_API_URL: github.apiUrl,
      GITHUB_ALLOWED_ORGS: 'Acme',
    });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.close();
    await github?.stop();
  });

  it('signs a person in through the GitHub button and the callback page', async () => {
    const context = await newDashboardContext(browser, hub.url);
    const page = await context.newPage();
    github.signInAs(ALICE);
    await page.goto('/sign-in');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByRole('link', { name: 'Sign in with GitHub' }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    await page.getByRole('button', { name: 'Account menu for alice@example.com' }).waitFor();
    await context.close();
  });

  it('shows the hub\'s reason on the callback page when the sign-in is refused', async () => {
    const context = await newDashboardContext(browser, hub.url);
    const page = await context.newPage();
    github.signInAs(DAVE);
    await page.goto('/sign-in');
    await page.getByRole('link', { name: 'Sign in with GitHub' }).click();
    await page.getByRole('heading', { name: 'Sign-in did not complete' }).waitFor();
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/organization|org/i);
    expect(await storedRefreshToken(page)).toBeNull();
    await context.close();
  });

  it('links a GitHub account to a signed-in local account from the profile page', async () => {
    const context = await newDashboardContext(browser, hub.url);
    const page = await context.newPage();
    await signIn(page, 'admin@example.com', 'admin-password-123', '/profile');
    github.signInAs(ADMIN_GH);
    await page.getByRole('button', { name: 'Link GitHub' }).click();
    await page.getByRole('button', { name: 'Unlink GitHub account' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/profile');
    const admin = new GraphQLClient(hub.url);
    await admin.login('admin@example.com', 'admin-password-123');
    const { myIdentities } = await admin.data<{ myIdentities: { provider: string; email: string }[] }>('{ myIdentities { provider email } }');
    expect(myIdentities).toEqual([{ provider: 'GITHUB', email: ADMIN_GH.emails[0].email }]);
    await context.close();
  });
});

import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { databaseTargets } from '../../support/database-targets.js';
import { clearStorage, launchChromium, newDashboardContext, screenshot, seriousA11yViolations, signIn, storedRefreshToken, tabTo, useTheme, type Theme } from '../../support/dashboard.js';
import { GraphQLClient } from '../../support/graphql-client.js';
import { startHub, type RunningHub } from '../../support/hub-app.js';

const ADMIN_EMAIL = 'admin@example.com';
const OWN_PASSWORD = 'my-own-admin-password-1';

/** First start as a newcomer sees it: no ADMIN_PASSWORD, so the hub generates one and prints it once. */
describe('dashboard: sign-in, first-run password, profile, explorer', () => {
  let hub: RunningHub;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let generated: string;

  beforeAll(async () => {
    const printed: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
      printed.push(String(chunk));
      return true;
    });
    try {
      hub = await startHub(databaseTargets[0], { ADMIN_PASSWORD: undefined });
    } finally {
      write.mockRestore();
    }
    generated = /with password (\S+)/.exec(printed.join(''))![1];
    browser = await launchChromium();
    context = await newDashboardContext(browser, hub.url);
    page = await context.newPage();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.close();
  });

  it('serves the dashboard at / and sends a signed-out visitor to the sign-in page', async () => {
    const res = await fetch(`${hub.url}/servers`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await res.text()).toContain('<div id="root">');
    await page.goto('/');
    await page.getByRole('heading', { name: 'Sign in to MCP Hub' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/sign-in');
  });

  it('leaves the hub routes alone and sends a browser opening /graphql to the explorer', async () => {
    const health = await fetch(`${hub.url}/health/live`, { headers: { accept: 'text/html' } });
    expect(health.headers.get('content-type')).toContain('application/json');
    const graphql = await fetch(`${hub.url}/graphql`, { headers: { accept: 'text/html' }, redirect: 'manual' });
    expect(graphql.status).toBe(302);
    expect(graphql.headers.get('location')).toBe('/explorer');
    const missingAsset = await fetch(`${hub.url}/assets/nope.js`);
    expect(missingAsset.status).toBe(404);
  });

  it('refuses a wrong password with the hub\'s message and keeps the visitor signed out', async () => {
    await page.getByLabel(/^Email/).fill(ADMIN_EMAIL);
    await page.getByLabel(/^Password/).fill('not-the-password-1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/invalid email or password/i);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
  });

  it('signs in with the printed password by keyboard and must choose a password before anything else', async () => {
    await signIn(page, ADMIN_EMAIL, generated);
    await page.getByRole('heading', { name: 'Choose your own password' }).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'first-run-password', 'light');
    await page.getByLabel(/^Current password/).fill(generated);
    await page.getByLabel(/^New password/).fill(OWN_PASSWORD);
    await page.getByLabel(/^Repeat the new password/).fill('something-else-entirely');
    await expect(page.getByRole('button', { name: 'Change password' }).isDisabled()).resolves.toBe(true);
    await page.getByLabel(/^Repeat the new password/).fill(OWN_PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    // The API agrees: the generated password no longer works, the new one does.
    const api = new GraphQLClient(hub.url);
    await expect(api.login(ADMIN_EMAIL, generated)).rejects.toThrow(/UNAUTHENTICATED/);
    await api.login(ADMIN_EMAIL, OWN_PASSWORD);
    expect((await api.data<{ me: { passwordChangeRequired: boolean } }>('{ me { passwordChangeRequired } }')).me.passwordChangeRequired).toBe(false);
  });

  it('goes on to the page asked for after signing in, but never to another site', async () => {
    const visitor = await newDashboardContext(browser, hub.url);
    const tab = await visitor.newPage();
    await tab.goto('/sign-in?next=%2Fprofile%3Ftab%3D1');
    await tab.getByLabel(/^Email/).fill(ADMIN_EMAIL);
    await tab.getByLabel(/^Password/).fill(OWN_PASSWORD);
    await tab.keyboard.press('Enter');
    await tab.waitForURL(`${hub.url}/profile?tab=1`);
    // Protocol-relative, backslash and absolute forms all stay on the hub.
    for (const next of ['//127.0.0.2:9/x', '/\\127.0.0.2:9/x', 'http://127.0.0.2:9/x']) {
      await clearStorage(tab);
      await signIn(tab, ADMIN_EMAIL, OWN_PASSWORD, `/sign-in?next=${encodeURIComponent(next)}`);
      await tab.getByRole('navigation', { name: 'Main' }).waitFor();
      expect(new URL(tab.url()).origin).toBe(hub.url);
    }
    await visitor.close();
  });

  it('stays signed in across a reload (refresh token) and lists this browser among the sessions', async () => {
    await page.goto('/profile');
    await page.getByRole('heading', { name: 'Profile' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Sessions' }).waitFor();
    await page.getByRole('row', { name: /this browser/i }).waitFor();
    await expect(page.getByText('this browser').count()).resolves.toBe(1);
  });

  it.each<Theme>(['light', 'dark'])('has no serious accessibility violations on the sign-in and profile pages (%s)', async (theme) => {
    await page.goto('/profile');
    await useTheme(page, theme);
    await page.getByRole('heading', { name: 'Sessions' }).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'profile', theme);
    const anonymous = await newDashboardContext(browser, hub.url, theme);
    const signInPage = await anonymous.newPage();
    await signInPage.goto('/sign-in');
    await signInPage.getByRole('heading', { name: 'Sign in to MCP Hub' }).waitFor();
    expect(await seriousA11yViolations(signInPage)).toEqual([]);
    await screenshot(signInPage, 'sign-in', theme);
    await anonymous.close();
  });

  it('reaches the navigation and the account menu by keyboard', async () => {
    await page.goto('/profile');
    await page.getByRole('heading', { name: 'Sessions' }).waitFor();
    await tabTo(page, page.getByRole('link', { name: 'GraphQL explorer' }));
    await tabTo(page, page.getByRole('button', { name: 'Change password' }));
  });

  it('opens the bundled GraphQL explorer, which runs queries as the signed-in person', async () => {
    await page.goto('/explorer');
    // The editor (Monaco, its own chunks and workers) takes a while on a busy 2-core machine.
    await page.getByText('me { email role }').waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: /execute query/i }).click();
    await page.getByText(`"email": "${ADMIN_EMAIL}"`).waitFor({ timeout: 30_000 });
  });

  it('signs out: the refresh token stops working and the pages send back to sign-in', async () => {
    await page.goto('/profile');
    const refreshToken = await storedRefreshToken(page);
    expect(refreshToken).toBeTruthy();
    await page.getByRole('button', { name: `Account menu for ${ADMIN_EMAIL}` }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to MCP Hub' }).waitFor();
    expect(await storedRefreshToken(page)).toBeNull();
    const reuse = await new GraphQLClient(hub.url).request('mutation($t:String!){ refreshToken(refreshToken:$t){ accessToken } }', { t: refreshToken });
    expect(reuse.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    await page.goto('/profile');
    await page.getByRole('heading', { name: 'Sign in to MCP Hub' }).waitFor();
    expect(new URL(page.url()).searchParams.get('next')).toBe('/profile');
  });
});

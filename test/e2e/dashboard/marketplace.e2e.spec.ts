import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { databaseTargets } from '../../support/database-targets.js';
import { launchChromium, screenshot, seriousA11yViolations, tabTo, useTheme, signedInPage } from '../../support/dashboard.js';
import { GraphQLClient } from '../../support/graphql-client.js';
import { MEMBER_PASSWORD, createPerson } from '../../support/hub-fixtures.js';
import { startHub, type RunningHub } from '../../support/hub-app.js';

const ADMIN = { email: 'admin@example.com', password: 'admin-password-123' };
const WEATHER = JSON.stringify({
  name: 'io.github.acme/weather',
  title: 'Acme Weather',
  description: 'Forecasts and storm alerts',
  version: '1.0.0',
  packages: [
    {
      registryType: 'npm',
      identifier: '@acme/weather-mcp',
      version: '1.0.0',
      transport: { type: 'stdio' },
      environmentVariables: [{ name: 'WEATHER_API_KEY', description: 'API key', isRequired: true, isSecret: true }],
    },
  ],
});

const search = (page: Page) => page.getByRole('textbox', { name: 'Search' });
const titles = (page: Page) => page.getByRole('article').getByRole('heading', { level: 2 }).allTextContents();
/** Polls until the list shows exactly these titles (the search is debounced), failing with the last list seen. */
async function expectTitles(page: Page, expected: string[], deadlineMs = 10_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  let seen = await titles(page);
  while (JSON.stringify(seen) !== JSON.stringify(expected) && Date.now() < deadline) {
    await page.waitForTimeout(50);
    seen = await titles(page);
  }
  expect(seen).toEqual(expected);
}

describe('dashboard: marketplace', () => {
  let hub: RunningHub;
  let browser: Browser;
  let contexts: BrowserContext[] = [];
  let page: Page;

  const signedIn = (email: string, password: string): Promise<Page> => signedInPage(browser, hub.url, contexts, email, password, '/marketplace');

  beforeAll(async () => {
    hub = await startHub(databaseTargets[0]);
    const admin = new GraphQLClient(hub.url);
    await admin.login(ADMIN.email, ADMIN.password);
    const member = await createPerson(admin, hub.url, 'member@example.com');
    await member.data('mutation($c: String, $n: String!){ changePassword(currentPassword: $c, newPassword: $n) }', { c: MEMBER_PASSWORD, n: 'member-chosen-42' });
    browser = await launchChromium();
    page = await signedIn(ADMIN.email, ADMIN.password);
  }, 120_000);

  afterAll(async () => {
    for (const c of contexts) await c.close();
    contexts = [];
    await browser?.close();
    await hub?.close();
  });

  it('is in the navigation and lists the seeded servers, accessible in both themes', async () => {
    await page.goto('/');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Marketplace' }).click();
    await page.getByRole('heading', { level: 1, name: 'Marketplace' }).waitFor();
    await page.getByText(/^2\d servers shown$/).waitFor();
    expect((await titles(page)).length).toBeGreaterThanOrEqual(20);
    // The pointer off the link it clicked (a hovered link is not what axe should measure).
    await page.mouse.move(0, 0);
    for (const theme of ['light', 'dark'] as const) {
      await useTheme(page, theme);
      expect(await seriousA11yViolations(page)).toEqual([]);
      await screenshot(page, 'marketplace', theme);
    }
    await useTheme(page, 'light');
  });

  it('searches with ranking, filters by transport and tag, and shows an entry’s variables by keyboard', async () => {
    await search(page).fill('github');
    await page.getByRole('article').first().getByRole('heading', { level: 2, name: 'GitHub' }).waitFor();
    // Keyboard: reach the details toggle of the first result and open it.
    await tabTo(page, page.getByRole('button', { name: 'Show details of GitHub' }));
    await page.keyboard.press('Enter');
    const details = page.getByRole('table', { name: 'Variables of GitHub' });
    await details.getByText('Authorization').waitFor();
    await expect(details.getByText('HTTP header').count()).resolves.toBe(1);
    await page.getByText('https://api.githubcopilot.com/mcp/').waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);

    await search(page).fill('');
    await page.getByRole('combobox', { name: 'Transport' }).selectOption('SSE');
    await expectTitles(page, ['Cloudflare Docs']);
    await page.getByRole('combobox', { name: 'Transport' }).selectOption('');
    await search(page).fill('postgres');
    // As a person does: the tag is clicked on the list the search produced, not on one being replaced under the pointer.
    await expectTitles(page, ['PostgreSQL', 'Supabase', 'Heroku']);
    await page.getByRole('button', { name: 'Show servers tagged database' }).first().click();
    await search(page).fill('');
    await expectTitles(page, ['PostgreSQL', 'Redis', 'Supabase']);
    await page.getByRole('button', { name: 'Show every tag, not only database' }).click();
    await page.getByText(/^2\d servers shown$/).waitFor();
  });

  it('lets an admin import a server.json (a bad one is refused in the dialog) and remove the entry', async () => {
    await page.getByRole('button', { name: 'Import server.json' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import a server.json' });
    await dialog.getByLabel(/^server\.json/).fill('{"name": "weather"}');
    await dialog.getByRole('button', { name: 'Import' }).click();
    await dialog.getByRole('alert').getByText(/serverJson\.name/).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await dialog.getByLabel(/^server\.json/).fill(WEATHER);
    await dialog.getByRole('button', { name: 'Import' }).click();
    await dialog.waitFor({ state: 'hidden' });

    await search(page).fill('storm');
    await expectTitles(page, ['Acme Weather']);
    await page.getByRole('button', { name: 'Show details of Acme Weather' }).click();
    await page.getByText('npx -y @acme/weather-mcp@1.0.0').waitFor();

    await page.getByRole('button', { name: 'Remove Acme Weather from the catalog' }).click();
    await page.getByRole('dialog', { name: 'Remove from the catalog?' }).getByRole('button', { name: 'Remove' }).click();
    await page.getByText('No server matches.').waitFor();
  });

  it('lets a member browse without the admin actions', async () => {
    const member = await signedIn('member@example.com', 'member-chosen-42');
    await member.getByRole('heading', { level: 1, name: 'Marketplace' }).waitFor();
    await member.getByText(/^2\d servers shown$/).waitFor();
    await expect(member.getByRole('button', { name: 'Import server.json' }).count()).resolves.toBe(0);
    await expect(member.getByRole('button', { name: /^Remove .* from the catalog$/ }).count()).resolves.toBe(0);
  });
});

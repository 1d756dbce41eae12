import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { databaseTargets } from '../../support/database-targets.js';
import { focused, launchChromium, screenshot, seriousA11yViolations, tabTo, signedInPage } from '../../support/dashboard.js';
import { GraphQLClient } from '../../support/graphql-client.js';
import { createGroup, createPerson, MEMBER_PASSWORD } from '../../support/hub-fixtures.js';
import { startHub, type RunningHub } from '../../support/hub-app.js';
import { startNpmRegistryStandIn, type NpmRegistryStandIn } from '../../support/npm-registry-stand-in.js';
import { useNpmHome } from '../../support/npm-home.js';
import { waitFor } from '../../support/upstreams.js';
import { remoteServerJson, stdioServerJson, tokenReporterPackages } from '../../support/catalog-fixtures.js';

const ADMIN = { email: 'admin@example.com', password: 'admin-password-123' };
const search = (page: Page) => page.getByRole('textbox', { name: 'Search' });

/** Searches, then waits for the list the search produced: a row opened on the list being replaced is lost. */
async function searchFor(page: Page, text: string): Promise<void> {
  await search(page).fill(text);
  const toggles = page.getByRole('button', { name: /details of / });
  await waitFor(
    async () => {
      const labels = await toggles.evaluateAll((buttons) => buttons.map((b) => b.getAttribute('aria-label') ?? ''));
      return labels.length > 0 && labels.every((label) => label.endsWith(`details of ${text}`));
    },
    10_000,
    `the list found by "${text}"`,
  );
}

describe('dashboard: installing from the marketplace', () => {
  let hub: RunningHub;
  let npm: NpmRegistryStandIn;
  let npmHome: Awaited<ReturnType<typeof useNpmHome>>;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let admin: GraphQLClient;
  /** What the registry stand-in serves: adding a package publishes it. */
  const packages = [...tokenReporterPackages(), ...tokenReporterPackages('mcp-hub-late-package')];

  const signedIn = (email: string, password: string): Promise<Page> => signedInPage(browser, hub.url, contexts, email, password, '/marketplace');

  beforeAll(async () => {
    npm = await startNpmRegistryStandIn(packages);
    npmHome = await useNpmHome(npm.url);
    hub = await startHub(databaseTargets[0]);
    admin = new GraphQLClient(hub.url);
    await admin.login(ADMIN.email, ADMIN.password);
    await admin.data('mutation($j: String!){ importCatalogEntry(serverJson: $j){ id } }', { j: stdioServerJson('io.example.test/token-reporter', 'mcp-hub-token-reporter') });
    await admin.data('mutation($j: String!){ importCatalogEntry(serverJson: $j){ id } }', { j: stdioServerJson('io.example.test/missing-package', 'mcp-hub-no-such-package') });
    await admin.data('mutation($j: String!){ importCatalogEntry(serverJson: $j){ id } }', { j: remoteServerJson('io.example.test/remote-tokens', 'http://127.0.0.1:9/mcp') });
    await createGroup(admin, 'tools', [], 'NONE');
    const member = await createPerson(admin, hub.url, 'member@example.com');
    await member.data('mutation($c: String, $n: String!){ changePassword(currentPassword: $c, newPassword: $n) }', { c: MEMBER_PASSWORD, n: 'member-chosen-42' });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await hub?.close();
    await npm?.close();
    await npmHome?.restore();
  });

  it('installs a stdio entry by keyboard: token, scope, group, then the pre-fetch progress and a link to the server', async () => {
    const page = await signedIn(ADMIN.email, ADMIN.password);
    await searchFor(page, 'token-reporter');
    await tabTo(page, page.getByRole('button', { name: 'Show details of token-reporter' }));
    await page.keyboard.press('Enter');
    await tabTo(page, page.getByRole('button', { name: 'Install token-reporter' }));
    await page.keyboard.press('Enter');

    const dialog = page.getByRole('dialog', { name: 'Install token-reporter' });
    const token = dialog.getByLabel('SERVICE_TOKEN');
    await focused(page, token);
    await page.keyboard.type('admin-secret-token');
    // A secret is typed into a password field.
    await expect(token.getAttribute('type')).resolves.toBe('password');
    await expect(token.inputValue()).resolves.toBe('admin-secret-token');
    await dialog.getByText('Your token for the service · e.g. tok_… · Given to the process as an environment variable').waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'marketplace-install-form', 'light');

    // Scope by keyboard: into the radio group, then the arrow key picks "Per person".
    await tabTo(page, dialog.getByRole('radio', { name: /^Shared/ }));
    await page.keyboard.press('ArrowDown');
    await expect(dialog.getByRole('radio', { name: /^Per person/ }).isChecked()).resolves.toBe(true);
    await dialog.getByRole('combobox', { name: /Add to group/ }).selectOption({ label: 'tools' });
    await tabTo(page, dialog.getByRole('button', { name: 'Install' }));
    await page.keyboard.press('Enter');

    await dialog.getByText('Stored as your credentials: SERVICE_TOKEN').waitFor();
    await dialog.getByText(/Package downloaded: the server starts without a download \(\d+ files\)/).waitFor({ timeout: 60_000 });
    await expect(dialog.getByRole('progressbar').getAttribute('aria-valuenow')).resolves.toBe('100');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'marketplace-install-done', 'light');
    await dialog.getByRole('link', { name: 'Open token-reporter' }).click();
    await page.waitForURL(/\/servers\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { level: 1, name: 'token-reporter' }).waitFor();
  }, 90_000);

  it('shows a failed pre-fetch with the reason, and retries it once the package is published', async () => {
    const page = await signedIn(ADMIN.email, ADMIN.password);
    await searchFor(page, 'missing-package');
    await page.getByRole('button', { name: 'Show details of missing-package' }).click();
    await page.getByRole('button', { name: 'Install missing-package' }).click();
    const dialog = page.getByRole('dialog', { name: 'Install missing-package' });
    await focused(page, dialog.getByLabel('SERVICE_TOKEN'));
    // Left blank: the SERVICE_TOKEN the admin stored with the first install fills it.
    await dialog.getByRole('button', { name: 'Install' }).click();
    await dialog.getByRole('alert').getByText(/npm package mcp-hub-no-such-package@1.0.0 was not found in the registry/).waitFor({ timeout: 60_000 });
    expect(await seriousA11yViolations(page)).toEqual([]);
    // The package gets published; the person retries the pre-fetch from where they saw it fail.
    packages.push(...tokenReporterPackages('mcp-hub-no-such-package'));
    await dialog.getByRole('button', { name: 'Retry the pre-fetch' }).click();
    await dialog.getByText(/^Package downloaded: the server starts without a download/).waitFor({ timeout: 60_000 });
    await expect(dialog.getByRole('alert').count()).resolves.toBe(0);
  }, 90_000);

  it('lets a member install a remote entry but not a stdio one', async () => {
    const page = await signedIn('member@example.com', 'member-chosen-42');
    await searchFor(page, 'token-reporter');
    await page.getByRole('button', { name: 'Show details of token-reporter' }).click();
    await page.getByText('npx -y mcp-hub-token-reporter@1.0.0').waitFor();
    await expect(page.getByRole('button', { name: 'Install token-reporter' }).count()).resolves.toBe(0);
    await searchFor(page, 'remote-tokens');
    await page.getByRole('button', { name: 'Show details of remote-tokens' }).click();
    await page.getByRole('button', { name: 'Install remote-tokens' }).click();
    const dialog = page.getByRole('dialog', { name: 'Install remote-tokens' });
    await focused(page, dialog.getByLabel('Authorization'));
    await page.keyboard.type('Bearer member-token');
    await page.keyboard.press('Enter');
    await dialog.getByText('Stored as your credentials: REMOTE_TOKENS_AUTHORIZATION').waitFor();
    await expect(dialog.getByRole('progressbar').count()).resolves.toBe(0);
  });

  it('offers a version select when an entry has several, asking for the chosen version\'s variables and installing it', async () => {
    // An older version of remote-tokens: another URL, and an API-key header instead of Authorization.
    const older = { ...JSON.parse(remoteServerJson('io.example.test/remote-tokens', 'http://127.0.0.1:9/v1/mcp')), version: '1.0.0' };
    older.remotes[0].headers = [{ name: 'X-Legacy-Key', description: 'The v1 API key', isRequired: true, isSecret: true }];
    await admin.data('mutation($j: String!){ importCatalogEntry(serverJson: $j){ id } }', { j: JSON.stringify(older) });

    const page = await signedIn(ADMIN.email, ADMIN.password);
    await searchFor(page, 'remote-tokens');
    await page.getByText('v2.0.0 · 2 versions').waitFor();
    await page.getByRole('button', { name: 'Show details of remote-tokens' }).click();
    await page.getByRole('button', { name: 'Install remote-tokens' }).click();
    const dialog = page.getByRole('dialog', { name: 'Install remote-tokens' });
    const select = dialog.getByRole('combobox', { name: /^Version/ });
    await expect(select.locator('option:checked').textContent()).resolves.toBe('2.0.0 (latest)');
    await dialog.getByLabel('Authorization').waitFor();

    await tabTo(page, select);
    await select.selectOption({ label: '1.0.0' });
    await dialog.getByLabel('X-Legacy-Key').waitFor();
    await expect(dialog.getByLabel('Authorization').count()).resolves.toBe(0);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await dialog.getByLabel('X-Legacy-Key').fill('legacy-key-1');
    await dialog.getByRole('button', { name: 'Install' }).click();
    await dialog.getByText('Stored as your credentials: REMOTE_TOKENS_X_LEGACY_KEY').waitFor();

    const { servers } = await admin.data<{ servers: { name: string; url: string | null; headers: { name: string }[] }[] }>('{ servers(first: 100){ name url headers { name } } }');
    expect(servers.filter((s) => s.url === 'http://127.0.0.1:9/v1/mcp')).toEqual([{ name: 'remote-tokens', url: 'http://127.0.0.1:9/v1/mcp', headers: [{ name: 'X-Legacy-Key' }] }]);
  });

  it('lets an admin import a registry by URL and shows what was skipped and why', async () => {
    const page = await signedIn(ADMIN.email, ADMIN.password);
    await tabTo(page, page.getByRole('button', { name: 'Import from registry URL' }));
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Import from a registry' });
    const url = dialog.getByLabel(/^Registry URL/);
    await focused(page, url);
    await page.keyboard.type(`${hub.url}/health/live`);
    await page.keyboard.press('Enter');
    await dialog.getByRole('alert').getByText(/url: answered 404/).waitFor();
    await url.fill(hub.url);
    await page.keyboard.press('Enter');
    await dialog.getByText(/^0 added, \d+ updated, 0 skipped \(1 page read\)\.$/).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
  });
});

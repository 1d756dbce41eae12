import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { focused, launchChromium, screenshot, seriousA11yViolations, tabTo, useTheme, signedInPage } from '../../support/dashboard.js';
import { GraphQLClient } from '../../support/graphql-client.js';
import { MEMBER_PASSWORD, addTeamMember, createPerson } from '../../support/hub-fixtures.js';
import { startHub, type RunningHub } from '../../support/hub-app.js';
import { oneHubTargetRows } from '../../support/hub-targets.js';

const ADMIN = { email: 'admin@example.com', password: 'admin-password-123' };
const OWN_PASSWORD = 'chosen-by-myself-42';
const TOKEN_SERVER = join(process.cwd(), 'test/support/token-reporting-server.mjs');
const OWN_SECRET = 'my-very-own-secret-value-AB';
const OWN_REPLACEMENT = 'a-replacement-secret-value-CD';
const TEAM_SECRET = 'the-platform-team-secret-EF';
const HUB_SECRET = 'the-hub-wide-secret-value-GH';
const DEMO_SECRET = 'the-demo-token-for-the-server-IJ';

/** An account made through the API that has already chosen its password (so its browser goes straight to the shell). */
async function readyPerson(admin: GraphQLClient, hubUrl: string, email: string, role = 'MEMBER') {
  const person = await createPerson(admin, hubUrl, email, role);
  await person.data('mutation($c: String, $n: String!){ changePassword(currentPassword: $c, newPassword: $n) }', { c: MEMBER_PASSWORD, n: OWN_PASSWORD });
  await person.login(email, OWN_PASSWORD);
  return person;
}

const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' });
const dialog = (page: Page, name: string | RegExp) => page.getByRole('dialog', { name });
const table = (page: Page, name: string) => page.getByRole('table', { name, exact: true });
const row = (page: Page, tableName: string, name: string) => table(page, tableName).getByRole('row').filter({ has: page.getByText(name, { exact: true }) });

/** The secret is nowhere in the document: not in its markup, not in any field's current value. */
async function expectNowhere(page: Page, secret: string): Promise<void> {
  expect(await page.content()).not.toContain(secret);
  const values = await page.evaluate<string[]>(`[...document.querySelectorAll('input, textarea')].map((e) => e.value)`);
  expect(values.filter((v) => v.includes(secret))).toEqual([]);
}

// What is stored where, per deployment, is per-user-credentials.e2e's subject; this one's is the page.
describe.each(oneHubTargetRows('postgres+redis'))('dashboard: credentials on %s', (_name, target) => {
  let hub: RunningHub;
  let browser: Browser;
  let admin: GraphQLClient;
  let owner: GraphQLClient & { userId: string };
  let plain: GraphQLClient & { userId: string };
  let teamId: string;
  const contexts: BrowserContext[] = [];

  const signedIn = (email: string, password: string, path = '/'): Promise<Page> => signedInPage(browser, hub.url, contexts, email, password, path);

  async function openCredentials(page: Page): Promise<void> {
    await nav(page).getByRole('link', { name: 'Credentials' }).click();
    await page.getByRole('heading', { level: 1, name: 'Credentials' }).waitFor();
  }

  beforeAll(async () => {
    hub = await startHub(target.database, target.env);
    admin = new GraphQLClient(hub.url);
    await admin.login(ADMIN.email, ADMIN.password);
    owner = await readyPerson(admin, hub.url, 'owner@example.com');
    plain = await readyPerson(admin, hub.url, 'plain@example.com');
    const { createTeam } = await owner.data<{ createTeam: { id: string } }>('mutation{ createTeam(input: { name: "Platform", slug: "platform" }){ id } }');
    teamId = createTeam.id;
    await addTeamMember(owner, teamId, plain.userId);
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await hub?.close();
  });

  it('lets a person set their own credential by keyboard, see it masked, replace and delete it; the value never shows again', async () => {
    const page = await signedIn('plain@example.com', OWN_PASSWORD);
    await openCredentials(page);
    await table(page, 'Your credentials').getByText('None yet.').waitFor();

    // By keyboard: Tab to the button, type into the dialog once focus is there, Enter submits.
    await tabTo(page, page.getByRole('button', { name: 'Add credential' }));
    await page.keyboard.press('Enter');
    const form = dialog(page, 'New credential');
    await focused(page, form.getByLabel(/^Name/));
    await page.keyboard.type('MY_TOKEN');
    await page.keyboard.press('Tab');
    await focused(page, form.getByLabel(/^Value/));
    await expect(form.getByLabel(/^Value/).getAttribute('type')).resolves.toBe('password');
    await page.keyboard.type(OWN_SECRET);
    await page.keyboard.press('Enter');
    await form.waitFor({ state: 'hidden' });
    await row(page, 'Your credentials', 'MY_TOKEN').getByText('••••AB').waitFor();
    await expectNowhere(page, OWN_SECRET);
    // The API agrees: the person's own, masked.
    const { credentials } = await plain.data<{ credentials: { name: string; scope: string; maskedValue: string }[] }>('{ credentials { name scope maskedValue } }');
    expect(credentials).toEqual([{ name: 'MY_TOKEN', scope: 'USER', maskedValue: '••••AB' }]);

    await tabTo(page, page.getByRole('button', { name: 'Replace the value of MY_TOKEN' }));
    await page.keyboard.press('Enter');
    const replace = dialog(page, 'Replace the value of MY_TOKEN');
    await expect(replace.getByLabel(/^Name/).inputValue()).resolves.toBe('MY_TOKEN');
    await focused(page, replace.getByLabel(/^New value/));
    await page.keyboard.type(OWN_REPLACEMENT);
    await page.keyboard.press('Enter');
    await replace.waitFor({ state: 'hidden' });
    await row(page, 'Your credentials', 'MY_TOKEN').getByText('••••CD').waitFor();
    await expectNowhere(page, OWN_REPLACEMENT);
    await expectNowhere(page, OWN_SECRET);

    await tabTo(page, page.getByRole('button', { name: 'Delete MY_TOKEN' }));
    await page.keyboard.press('Enter');
    const confirm = dialog(page, 'Delete MY_TOKEN?');
    await focused(page, confirm.getByRole('button', { name: 'Delete credential' }));
    await page.keyboard.press('Enter');
    await confirm.waitFor({ state: 'hidden' });
    await table(page, 'Your credentials').getByText('None yet.').waitFor();
    await expect(plain.data('{ credentials { name } }')).resolves.toEqual({ credentials: [] });
  });

  it("shows the hub's message under the name field for a bad name, and saves nothing", async () => {
    const page = await signedIn('plain@example.com', OWN_PASSWORD, '/settings/credentials');
    await page.getByRole('button', { name: 'Add credential' }).click();
    const form = dialog(page, 'New credential');
    await focused(page, form.getByLabel(/^Name/));
    await form.getByLabel(/^Name/).fill('1-not a name');
    await form.getByLabel(/^Value/).fill('whatever-value');
    await form.getByRole('button', { name: 'Save credential' }).click();
    await form.getByText('must be a variable name: letters, digits and _, not starting with a digit').waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await form.getByRole('button', { name: 'Cancel' }).click();
    await form.waitFor({ state: 'hidden' });
    await expect(plain.data('{ credentials { name } }')).resolves.toEqual({ credentials: [] });
  });

  it("lets a team's owner set a team credential that a plain member sees by name only", async () => {
    const ownerPage = await signedIn('owner@example.com', OWN_PASSWORD);
    await openCredentials(ownerPage);
    await ownerPage.getByRole('button', { name: 'Add a credential to Platform' }).click();
    const form = dialog(ownerPage, 'New credential of Platform');
    await focused(ownerPage, form.getByLabel(/^Name/));
    await ownerPage.keyboard.type('TEAM_TOKEN');
    await form.getByLabel(/^Value/).fill(TEAM_SECRET);
    await form.getByRole('button', { name: 'Save credential' }).click();
    await form.waitFor({ state: 'hidden' });
    await row(ownerPage, 'Credentials of Platform', 'TEAM_TOKEN').getByText('••••EF').waitFor();
    await ownerPage.getByRole('button', { name: 'Replace the value of TEAM_TOKEN' }).waitFor();
    await expectNowhere(ownerPage, TEAM_SECRET);
    const { credentials } = await owner.data<{ credentials: { name: string; scope: string; teamId: string }[] }>('{ credentials { name scope teamId } }');
    expect(credentials).toEqual([{ name: 'TEAM_TOKEN', scope: 'TEAM', teamId }]);

    const memberPage = await signedIn('plain@example.com', OWN_PASSWORD, '/settings/credentials');
    await row(memberPage, 'Credentials of Platform', 'TEAM_TOKEN').waitFor();
    await memberPage.getByText("Read-only: the team's owners set these.").waitFor();
    await expect(memberPage.getByRole('button', { name: 'Add a credential to Platform' }).count()).resolves.toBe(0);
    await expect(memberPage.getByRole('button', { name: /^(Replace the value of|Delete) TEAM_TOKEN$/ }).count()).resolves.toBe(0);
    // Names only: not even the masked tail of someone else's secret.
    await expect(memberPage.getByText('••••EF').count()).resolves.toBe(0);
    // Members see no hub credentials (the API gives them none).
    await expect(table(memberPage, 'Hub credentials').count()).resolves.toBe(0);
    await expect(memberPage.getByRole('button', { name: 'Add hub credential' }).count()).resolves.toBe(0);
  });

  it('lets an admin set a hub credential, which an auditor reads by name', async () => {
    const page = await signedIn(ADMIN.email, ADMIN.password);
    await openCredentials(page);
    await page.getByRole('button', { name: 'Add hub credential' }).click();
    const form = dialog(page, 'New hub credential');
    await focused(page, form.getByLabel(/^Name/));
    await page.keyboard.type('HUB_TOKEN');
    await form.getByLabel(/^Value/).fill(HUB_SECRET);
    await page.keyboard.press('Enter');
    await form.waitFor({ state: 'hidden' });
    await row(page, 'Hub credentials', 'HUB_TOKEN').getByText('••••GH').waitFor();
    await expectNowhere(page, HUB_SECRET);

    await readyPerson(admin, hub.url, 'auditor@example.com', 'AUDITOR');
    const auditorPage = await signedIn('auditor@example.com', OWN_PASSWORD, '/settings/credentials');
    await row(auditorPage, 'Hub credentials', 'HUB_TOKEN').waitFor();
    await expect(auditorPage.getByRole('button', { name: 'Add hub credential' }).count()).resolves.toBe(0);
    await expect(auditorPage.getByRole('button', { name: /HUB_TOKEN$/ }).count()).resolves.toBe(0);
  });

  it('registers a per-user server whose missing variable links to Credentials, and shows "yours" once set', async () => {
    const page = await signedIn(ADMIN.email, ADMIN.password, '/servers/new');
    await page.getByRole('heading', { level: 1, name: 'Register a server' }).waitFor();
    await page.getByLabel(/^Name/).first().fill('Token reporter');
    await page.getByLabel(/^Command/).fill(process.execPath);
    await page.getByLabel(/^Arguments/).fill(TOKEN_SERVER);
    await page.getByText('in a value is filled from a credential (Settings → Credentials)').first().waitFor();
    await page.getByRole('button', { name: 'Add variable' }).click();
    await page.getByLabel('Name of variable 1').fill('SERVICE_TOKEN');
    await page.getByLabel('Value of variable 1').fill('Bearer ${DEMO_TOKEN}');
    await expect(page.getByRole('radio', { name: /^Shared/ }).isChecked()).resolves.toBe(true);
    await tabTo(page, page.getByRole('radio', { name: /^Shared/ }));
    await page.keyboard.press('ArrowDown');
    await expect(page.getByRole('radio', { name: /^Per user/ }).isChecked()).resolves.toBe(true);
    await page.getByRole('button', { name: 'Register server' }).click();
    await page.getByRole('heading', { level: 1, name: 'Token reporter' }).waitFor();
    const serverPath = new URL(page.url()).pathname;
    const serverId = serverPath.split('/').pop()!;
    await expect(admin.data('query($id: ID!){ server(id: $id){ credentialScope variables { name source } } }', { id: serverId })).resolves.toEqual({
      server: { credentialScope: 'PER_USER', variables: [{ name: 'DEMO_TOKEN', source: null }] },
    });

    const variables = table(page, 'Variables');
    await variables.getByText('missing').waitFor();
    await page.mouse.move(0, 0);
    for (const theme of ['light', 'dark'] as const) {
      await useTheme(page, theme);
      expect(await seriousA11yViolations(page)).toEqual([]);
      await screenshot(page, 'server-variables-missing', theme);
    }
    await useTheme(page, 'light');

    // The link opens the dialog for that very name; focus waits in the value field.
    await variables.getByRole('link', { name: 'Set DEMO_TOKEN in Credentials' }).click();
    const form = dialog(page, 'New credential');
    await expect(form.getByLabel(/^Name/).inputValue()).resolves.toBe('DEMO_TOKEN');
    await focused(page, form.getByLabel(/^Value/));
    await page.keyboard.type(DEMO_SECRET);
    await page.keyboard.press('Enter');
    await form.waitFor({ state: 'hidden' });
    await row(page, 'Your credentials', 'DEMO_TOKEN').getByText('••••IJ').waitFor();
    await expectNowhere(page, DEMO_SECRET);

    await page.goto(serverPath);
    await table(page, 'Variables').getByText('yours', { exact: true }).waitFor();
    await expect(table(page, 'Variables').getByText('missing').count()).resolves.toBe(0);
    // The connection is made with the admin's own credential.
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.getByRole('status').filter({ hasText: 'Connected' }).waitFor({ timeout: 30_000 });
    await expectNowhere(page, DEMO_SECRET);
  });

  it('has no serious accessibility violations on the credentials page and its dialog, in light and dark', async () => {
    const page = await signedIn(ADMIN.email, ADMIN.password);
    await openCredentials(page);
    await row(page, 'Hub credentials', 'HUB_TOKEN').waitFor();
    await page.mouse.move(0, 0);
    for (const theme of ['light', 'dark'] as const) {
      await useTheme(page, theme);
      expect(await seriousA11yViolations(page)).toEqual([]);
      await screenshot(page, 'credentials', theme);
      await page.getByRole('button', { name: 'Add credential' }).click();
      const form = dialog(page, 'New credential');
      await focused(page, form.getByLabel(/^Name/));
      expect(await seriousA11yViolations(page)).toEqual([]);
      await page.keyboard.press('Escape');
      await form.waitFor({ state: 'hidden' });
    }
    await useTheme(page, 'light');
  });
});

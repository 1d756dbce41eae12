import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { SIGNATURE_HEADER, verifySignature } from '#alerts';
import { databaseTargets } from '../../support/database-targets.js';
import { SCREENSHOT_DIR, focused, launchChromium, newDashboardContext, screenshot, seriousA11yViolations, signIn, tabTo, useTheme, type AxeViolation, type Theme } from '../../support/dashboard.js';
import { GraphQLClient } from '../../support/graphql-client.js';
import { MEMBER_PASSWORD, createPerson } from '../../support/hub-fixtures.js';
import { startHub, type RunningHub } from '../../support/hub-app.js';
import { waitFor } from '../../support/upstreams.js';

const ADMIN = { email: 'admin@example.com', password: 'admin-password-123' };
const OWN_PASSWORD = 'chosen-by-myself-42';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver on loopback: records every request and answers 200. */
async function startReceiver(): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

/** An account made through the API that has already chosen its password (so its browser goes straight to the shell). */
async function readyPerson(admin: GraphQLClient, hubUrl: string, email: string, role = 'MEMBER') {
  const person = await createPerson(admin, hubUrl, email, role);
  await person.data('mutation($c: String, $n: String!){ changePassword(currentPassword: $c, newPassword: $n) }', { c: MEMBER_PASSWORD, n: OWN_PASSWORD });
  await person.login(email, OWN_PASSWORD);
  return person;
}

const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' });
const dialog = (page: Page, name: string | RegExp) => page.getByRole('dialog', { name });
/** What a copy button put on the clipboard (page code as a string: this spec has no DOM types). */
const clipboard = (page: Page) => page.evaluate<string>('navigator.clipboard.readText()');

/** A dialog over the page: the window as a person sees it (a full-page shot would show the page past the overlay). */
async function dialogShot(page: Page, name: string, theme: Theme): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-${theme}.png`) });
}

async function openPage(page: Page, path: string, heading: string | RegExp): Promise<void> {
  await page.goto(path);
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
}

describe('dashboard: users, teams and notification channels', () => {
  let hub: RunningHub;
  let browser: Browser;
  let admin: GraphQLClient;
  let adminContext: BrowserContext;
  let adminPage: Page;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const contexts: BrowserContext[] = [];

  /** A second (third…) browser: its own storage, so its own signed-in person. */
  async function browserOf(theme: Theme = 'light'): Promise<Page> {
    const context = await newDashboardContext(browser, hub.url, theme);
    contexts.push(context);
    return context.newPage();
  }

  beforeAll(async () => {
    hub = await startHub(databaseTargets[0]);
    receiver = await startReceiver();
    admin = new GraphQLClient(hub.url);
    await admin.login(ADMIN.email, ADMIN.password);
    browser = await launchChromium();
    adminContext = await newDashboardContext(browser, hub.url);
    adminPage = await adminContext.newPage();
    await signIn(adminPage, ADMIN.email, ADMIN.password);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => receiver?.server.close(resolve));
    await hub?.close();
  });

  describe('users', () => {
    const email = 'new.person@example.com';
    let initialPassword: string;
    let memberPage: Page;

    it('lets an admin create a user with a generated initial password, shown to pass on and copyable', async () => {
      const page = adminPage;
      await nav(page).getByRole('link', { name: 'Users' }).click();
      await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
      await page.getByRole('button', { name: 'New user' }).click();
      const form = dialog(page, 'New user');
      await form.getByLabel(/^Email/).fill(email);
      await form.getByLabel(/^Display name/).fill('New Person');
      await expect(form.getByRole('radio', { name: 'Member' }).isChecked()).resolves.toBe(true);
      await form.getByRole('button', { name: 'Generate a password' }).click();
      initialPassword = await form.getByLabel(/^Initial password/).inputValue();
      expect(initialPassword).toMatch(/^[A-Za-z0-9]{20}$/);
      await form.getByRole('button', { name: 'Create user' }).click();

      const created = dialog(page, 'User created');
      await expect(created.locator('[data-initial-password]').textContent()).resolves.toBe(initialPassword);
      await created.getByRole('button', { name: 'Copy the initial password' }).click();
      await expect(clipboard(page)).resolves.toBe(initialPassword);
      await created.getByRole('button', { name: 'Done' }).click();

      const row = page.getByRole('row', { name: /New Person/ });
      await row.getByText('Must choose a password').waitFor();
      await expect(row.getByText('Member', { exact: true }).count()).resolves.toBe(1);
      // The API agrees: a MEMBER that must choose a password.
      const { userList } = await admin.data<{ userList: { nodes: { email: string; role: string; displayName: string; passwordChangeRequired: boolean }[] } }>(
        '{ userList(filter: { search: "new.person" }) { nodes { email role displayName passwordChangeRequired } } }',
      );
      expect(userList.nodes).toEqual([{ email, role: 'MEMBER', displayName: 'New Person', passwordChangeRequired: true }]);
    });

    it('shows the hub\'s field message when the email is taken, and creates nothing', async () => {
      const page = adminPage;
      await page.getByRole('button', { name: 'New user' }).click();
      const form = dialog(page, 'New user');
      await form.getByLabel(/^Email/).fill(email.toUpperCase());
      await form.getByLabel(/^Initial password/).fill('long-enough-password');
      await form.getByRole('button', { name: 'Create user' }).click();
      await form.getByText(`a user with email ${email} already exists`).waitFor();
      await form.getByRole('button', { name: 'Cancel' }).click();
      await dialog(page, 'New user').waitFor({ state: 'hidden' });
    });

    it('asks the new user, signed in in a second browser, to choose their own password; then no Users entry', async () => {
      memberPage = await browserOf();
      await signIn(memberPage, email, initialPassword);
      await memberPage.getByRole('heading', { name: 'Choose your own password' }).waitFor();
      await memberPage.getByLabel(/^Current password/).fill(initialPassword);
      await memberPage.getByLabel(/^New password/).fill(OWN_PASSWORD);
      await memberPage.getByLabel(/^Repeat the new password/).fill(OWN_PASSWORD);
      await memberPage.getByRole('button', { name: 'Change password' }).click();
      await nav(memberPage).waitFor();
      await nav(memberPage).getByRole('link', { name: 'Teams' }).waitFor();
      await expect(nav(memberPage).getByRole('link', { name: 'Notifications' }).count()).resolves.toBe(1);
      await expect(nav(memberPage).getByRole('link', { name: 'Users' }).count()).resolves.toBe(0);
      // Typing the address is no way round: the hub refuses and the page says so.
      await openPage(memberPage, '/users', 'Users');
      await memberPage.getByRole('alert').getByText(/user\.read requires role ADMIN or AUDITOR/).waitFor();
      await expect(memberPage.getByRole('button', { name: 'New user' }).count()).resolves.toBe(0);
      // The admin's list shows the password as chosen now.
      await adminPage.reload();
      const row = adminPage.getByRole('row', { name: /New Person/ });
      await row.getByText('Active').waitFor();
      await expect(row.getByText('Must choose a password').count()).resolves.toBe(0);
    });

    it("ends the user's sessions: their next page load ends on sign-in", async () => {
      await openPage(memberPage, '/teams', 'Teams');
      await adminPage.getByRole('button', { name: `Actions for ${email}` }).click();
      await adminPage.getByRole('menuitem', { name: 'End sessions…' }).click();
      await dialog(adminPage, 'End the sessions of New Person').getByRole('button', { name: 'End sessions' }).click();
      await adminPage.getByText('1 session of New Person ended').waitFor();
      await memberPage.reload();
      await memberPage.getByRole('heading', { name: 'Sign in to MCP Hub' }).waitFor();
      await signIn(memberPage, email, OWN_PASSWORD);
      await nav(memberPage).waitFor();
    });

    it("disables the user: their next page load ends on sign-in, and signing in is refused until enabled again", async () => {
      const row = adminPage.getByRole('row', { name: /New Person/ });
      await row.getByRole('button', { name: `Actions for ${email}` }).click();
      await adminPage.getByRole('menuitem', { name: 'Disable…' }).click();
      await dialog(adminPage, 'Disable New Person').getByRole('button', { name: 'Disable user' }).click();
      await row.getByText('Disabled').waitFor();

      await memberPage.reload();
      await memberPage.getByRole('heading', { name: 'Sign in to MCP Hub' }).waitFor();
      await memberPage.getByLabel(/^Email/).fill(email);
      await memberPage.getByLabel(/^Password/).fill(OWN_PASSWORD);
      await memberPage.keyboard.press('Enter');
      await memberPage.getByRole('alert').getByText(/invalid email or password/i).waitFor();

      await row.getByRole('button', { name: `Actions for ${email}` }).click();
      await adminPage.getByRole('menuitem', { name: 'Enable…' }).click();
      await dialog(adminPage, 'Enable New Person').getByRole('button', { name: 'Enable user' }).click();
      await row.getByText('Active').waitFor();
      await signIn(memberPage, email, OWN_PASSWORD);
      await nav(memberPage).waitFor();
    });

    it('changes the role and sets a new password, which the person must replace at their next sign-in', async () => {
      const row = adminPage.getByRole('row', { name: /New Person/ });
      await row.getByRole('button', { name: `Actions for ${email}` }).click();
      await adminPage.getByRole('menuitem', { name: 'Change role…' }).click();
      const roleDialog = dialog(adminPage, 'Change the role of New Person');
      await roleDialog.getByRole('radio', { name: 'Auditor' }).check();
      await roleDialog.getByRole('button', { name: 'Change role' }).click();
      await row.getByText('Auditor', { exact: true }).waitFor();

      await row.getByRole('button', { name: `Actions for ${email}` }).click();
      await adminPage.getByRole('menuitem', { name: 'Set a new password…' }).click();
      const passwordDialog = dialog(adminPage, 'Set a new password for New Person');
      await passwordDialog.getByLabel(/^New password/).fill('short');
      await passwordDialog.getByRole('button', { name: 'Set password' }).click();
      await passwordDialog.getByText('must be at least 12 characters').waitFor();
      await passwordDialog.getByLabel(/^New password/).fill('set-by-the-admin-1');
      await passwordDialog.getByRole('button', { name: 'Set password' }).click();
      await row.getByText('Must choose a password').waitFor();

      // The role change and the new password each ended the person's sessions.
      await memberPage.reload();
      await memberPage.getByRole('heading', { name: 'Sign in to MCP Hub' }).waitFor();
      await signIn(memberPage, email, 'set-by-the-admin-1');
      await memberPage.getByRole('heading', { name: 'Choose your own password' }).waitFor();
    });

    it("refuses disabling or demoting the last admin and shows the hub's message", async () => {
      const row = adminPage.getByRole('row', { name: new RegExp(ADMIN.email) });
      await row.getByRole('button', { name: `Actions for ${ADMIN.email}` }).click();
      await adminPage.getByRole('menuitem', { name: 'Disable…' }).click();
      const confirm = dialog(adminPage, `Disable ${ADMIN.email}`);
      await confirm.getByRole('button', { name: 'Disable user' }).click();
      await confirm.getByRole('alert').getByText('This is the last enabled admin; promote another user first').waitFor();
      await confirm.getByRole('button', { name: 'Cancel' }).click();

      await row.getByRole('button', { name: `Actions for ${ADMIN.email}` }).click();
      await adminPage.getByRole('menuitem', { name: 'Change role…' }).click();
      const roleDialog = dialog(adminPage, `Change the role of ${ADMIN.email}`);
      await roleDialog.getByRole('radio', { name: 'Member' }).check();
      await roleDialog.getByRole('button', { name: 'Change role' }).click();
      await roleDialog.getByRole('alert').getByText(/last enabled admin/).waitFor();
      await roleDialog.getByRole('button', { name: 'Cancel' }).click();
      const { me } = await admin.data<{ me: { role: string } }>('{ me { role } }');
      expect(me.role).toBe('ADMIN');
    });

    it('pages through many users with the cursor and narrows the list with the filters', async () => {
      for (let i = 0; i < 52; i++) {
        await admin.data('mutation($i: CreateUserInput!){ createUser(input: $i){ id } }', {
          i: { email: `bulk-${String(i).padStart(2, '0')}@example.com`, password: 'bulk-password-123' },
        });
      }
      const page = adminPage;
      await openPage(page, '/users', 'Users');
      const rows = page.locator('tbody tr');
      await rows.nth(49).waitFor();
      await expect(rows.count()).resolves.toBe(50);
      await expect(page.getByRole('row', { name: /new\.person@example\.com/ }).count()).resolves.toBe(0);
      await page.getByRole('button', { name: 'Show more users' }).click();
      await page.getByRole('row', { name: /new\.person@example\.com/ }).waitFor();
      await expect(rows.count()).resolves.toBe(54);
      await expect(page.getByRole('button', { name: 'Show more users' }).count()).resolves.toBe(0);

      await page.getByLabel('Search').fill('BULK-5');
      await page.getByRole('row', { name: /bulk-51@example\.com/ }).waitFor();
      await waitFor(async () => (await rows.count()) === 2, 5_000, 'two rows for bulk-5');
      await page.getByLabel('Search').fill('');
      await page.getByLabel('Role').selectOption('AUDITOR');
      await page.getByRole('row', { name: /new\.person@example\.com/ }).waitFor();
      await waitFor(async () => (await rows.count()) === 1, 5_000, 'the one auditor');
      await page.getByLabel('Role').selectOption('');
      await page.getByLabel('Status').selectOption('disabled');
      await page.getByText('No user matches these filters.').waitFor();
      await page.getByLabel('Status').selectOption('');
    });

    it('shows auditors the list read-only', async () => {
      await readyPerson(admin, hub.url, 'auditor@example.com', 'AUDITOR');
      const page = await browserOf();
      await signIn(page, 'auditor@example.com', OWN_PASSWORD);
      await nav(page).getByRole('link', { name: 'Users' }).click();
      await page.getByRole('row', { name: /bulk-00@example\.com/ }).waitFor();
      await expect(page.getByRole('button', { name: 'New user' }).count()).resolves.toBe(0);
      await expect(page.getByRole('button', { name: /^Actions for / }).count()).resolves.toBe(0);
      await page.context().close();
    });
  });

  describe('teams', () => {
    let carol: GraphQLClient;
    let carolPage: Page;
    let davePage: Page;
    let teamUrl: string;

    beforeAll(async () => {
      carol = await readyPerson(admin, hub.url, 'carol@example.com');
      await readyPerson(admin, hub.url, 'dave@example.com');
      carolPage = await browserOf();
      await signIn(carolPage, 'carol@example.com', OWN_PASSWORD);
      davePage = await browserOf();
      await signIn(davePage, 'dave@example.com', OWN_PASSWORD);
    }, 60_000);

    it('lets a member create a team by keyboard and become its owner', async () => {
      const page = carolPage;
      await nav(page).getByRole('link', { name: 'Teams' }).click();
      await page.getByText('You are in no team yet.', { exact: false }).waitFor();
      await tabTo(page, page.getByRole('button', { name: 'New team' }));
      await page.keyboard.press('Enter');
      const form = dialog(page, 'New team');
      await focused(page, form.getByLabel(/^Name/));
      await page.keyboard.type('Platform Ops');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 1, name: 'Platform Ops' }).waitFor();
      teamUrl = new URL(page.url()).pathname;
      await page.getByText('you are owner').waitFor();
      const row = page.getByRole('row', { name: /carol@example\.com/ });
      await expect(row.getByLabel('Team role of carol@example.com').inputValue()).resolves.toBe('OWNER');
    });

    it('adds another member by email (an unknown email is named under the field) and changes their role', async () => {
      const page = carolPage;
      await page.getByLabel(/^Email/).fill('nobody@example.com');
      await page.getByRole('button', { name: 'Add member' }).click();
      await page.getByText('No user with email nobody@example.com').waitFor();
      // Under the field the hub names, not in a banner.
      await expect(page.getByLabel(/^Email/).getAttribute('aria-invalid')).resolves.toBe('true');
      await page.getByLabel(/^Email/).fill('dave@example.com');
      await page.getByRole('button', { name: 'Add member' }).click();
      const daveRow = page.getByRole('row', { name: /dave@example\.com/ });
      await expect(daveRow.getByLabel('Team role of dave@example.com').inputValue()).resolves.toBe('MEMBER');

      // Dave sees the team, and as a plain member no way to change it.
      await openPage(davePage, teamUrl, 'Platform Ops');
      await davePage.getByRole('row', { name: /carol@example\.com/ }).getByText('Owner').waitFor();
      for (const name of ['Add member', 'Delete team', 'Rename', /^Remove /]) {
        await expect(davePage.getByRole('button', { name }).count()).resolves.toBe(0);
      }

      await daveRow.getByLabel('Team role of dave@example.com').selectOption('OWNER');
      await waitFor(async () => {
        const { team } = await carol.data<{ team: { members: { email: string; role: string }[] } }>('query($id: ID!){ team(id: $id){ members { email role } } }', {
          id: teamUrl.split('/').pop(),
        });
        return team.members.find((m) => m.email === 'dave@example.com')?.role === 'OWNER';
      }, 5_000, 'dave to be an owner');
      // Now an owner, Dave gets the owner's actions.
      await davePage.reload();
      await davePage.getByRole('button', { name: 'Add member' }).waitFor();
    });

    it("refuses to take the team's last owner away, with the hub's message", async () => {
      const page = carolPage;
      await page.getByLabel('Team role of dave@example.com').selectOption('MEMBER');
      await waitFor(async () => {
        const { team } = await carol.data<{ team: { members: { email: string; role: string }[] } }>('query($id: ID!){ team(id: $id){ members { email role } } }', {
          id: teamUrl.split('/').pop(),
        });
        return team.members.find((m) => m.email === 'dave@example.com')?.role === 'MEMBER';
      }, 5_000, 'dave to be a member again');
      await page.getByRole('button', { name: 'Remove carol@example.com from the team' }).click();
      const confirm = dialog(page, 'Remove carol@example.com');
      await confirm.getByRole('button', { name: 'Remove from team' }).click();
      await confirm.getByRole('alert').getByText(/must keep an owner/).waitFor();
      await confirm.getByRole('button', { name: 'Cancel' }).click();
    });

    it('lets an owner delete the team', async () => {
      const page = carolPage;
      await page.getByRole('button', { name: 'Delete team' }).click();
      await dialog(page, 'Delete team Platform Ops').getByRole('button', { name: 'Delete team' }).click();
      await page.getByRole('heading', { level: 1, name: 'Teams' }).waitFor();
      await page.getByText('You are in no team yet.', { exact: false }).waitFor();
      const { teams } = await admin.data<{ teams: unknown[] }>('{ teams { id } }');
      expect(teams).toEqual([]);
    });
  });

  describe('notification channels', () => {
    let erin: GraphQLClient;
    let page: Page;
    let secret: string;
    let channelPath: string;

    beforeAll(async () => {
      erin = await readyPerson(admin, hub.url, 'erin@example.com');
      page = await browserOf();
      await signIn(page, 'erin@example.com', OWN_PASSWORD);
    }, 60_000);

    it('creates a webhook channel and shows its signing secret once, with a copy button', async () => {
      await nav(page).getByRole('link', { name: 'Notifications' }).click();
      await page.getByText('No channel yet.', { exact: false }).waitFor();
      await tabTo(page, page.getByRole('button', { name: 'New channel' }));
      await page.keyboard.press('Enter');
      const form = dialog(page, 'New notification channel');
      await form.getByLabel(/^Name/).fill('Ops receiver');
      await form.getByLabel(/^Webhook URL/).fill('ftp://example.com/x');
      await form.getByRole('button', { name: 'Create channel' }).click();
      await form.getByText('must be an http or https URL').waitFor();
      await form.getByLabel(/^Webhook URL/).fill(`${receiver.url}/hook/ops`);
      await form.getByRole('checkbox', { name: 'Key quota exceeded' }).check();
      await form.getByRole('button', { name: 'Create channel' }).click();

      const created = dialog(page, 'Channel Ops receiver created');
      secret = (await created.locator('[data-signing-secret]').textContent())!;
      expect(secret).toMatch(/^whsec_/);
      await created.getByRole('button', { name: 'Copy the signing secret' }).click();
      await expect(clipboard(page)).resolves.toBe(secret);
      await created.getByRole('button', { name: 'I stored it, open the channel' }).click();
      await page.getByRole('heading', { level: 1, name: 'Ops receiver' }).waitFor();
      channelPath = new URL(page.url()).pathname;
      // Once: nowhere on the channel's page, nor in the list, nor after a reload.
      expect(await page.content()).not.toContain(secret);
      await page.reload();
      await page.getByRole('heading', { name: 'Delivery log' }).waitFor();
      expect(await page.content()).not.toContain(secret);
      await openPage(page, '/notifications', 'Notifications');
      const row = page.getByRole('row', { name: /Ops receiver/ });
      await row.getByText(receiver.url).waitFor();
      await row.getByText('Key quota exceeded').waitFor();
      await row.getByText('Server health changed').waitFor();
      expect(await page.content()).not.toContain(secret);
      const { notificationChannels } = await erin.data<{ notificationChannels: { format: string; events: string[]; urlOrigin: string }[] }>(
        '{ notificationChannels { format events urlOrigin } }',
      );
      expect(notificationChannels).toEqual([{ format: 'GENERIC', events: ['SERVER_HEALTH_CHANGED', 'KEY_QUOTA_EXCEEDED'], urlOrigin: receiver.url }]);
    });

    it('sends a test notification signed with that secret and shows it delivered in the log', async () => {
      await openPage(page, channelPath, 'Ops receiver');
      await page.getByText('Nothing sent yet.', { exact: false }).waitFor();
      await page.getByRole('button', { name: 'Send a test notification' }).click();
      const request = await waitFor(() => receiver.received.find((r) => r.path === '/hook/ops'), 15_000, 'the test webhook');
      expect(verifySignature(secret, request.headers[SIGNATURE_HEADER] as string, request.body)).toBe(true);
      expect(JSON.parse(request.body)).toMatchObject({ type: 'TEST', summary: 'Test notification for channel "Ops receiver"' });
      const logRow = page.getByRole('row', { name: /Test notification for channel/ });
      await logRow.getByText('Delivered').waitFor({ timeout: 15_000 });
      await logRow.getByText('HTTP 200').waitFor();
    });

    it('updates the channel: name, events, format, enabled; the URL stays unless a new one is given', async () => {
      const settings = page.getByRole('region', { name: 'Settings' });
      await expect(settings.getByRole('button', { name: 'Save changes' }).isDisabled()).resolves.toBe(true);
      await settings.getByLabel(/^Name/).fill('Ops Slack');
      await settings.getByRole('radio', { name: 'Slack' }).check();
      await settings.getByRole('checkbox', { name: 'Server health changed' }).uncheck();
      await settings.getByRole('checkbox', { name: 'Key quota exceeded' }).uncheck();
      await settings.getByRole('button', { name: 'Save changes' }).click();
      await settings.getByText('must name at least one event').waitFor();
      await settings.getByRole('checkbox', { name: 'Upstream failures' }).check();
      await settings.getByRole('switch', { name: 'Enabled' }).uncheck();
      await settings.getByRole('button', { name: 'Save changes' }).click();
      await page.getByRole('heading', { level: 1, name: 'Ops Slack' }).waitFor();
      const { notificationChannels } = await erin.data<{ notificationChannels: Record<string, unknown>[] }>('{ notificationChannels { name format events enabled urlOrigin } }');
      expect(notificationChannels).toEqual([{ name: 'Ops Slack', format: 'SLACK', events: ['UPSTREAM_FAILURES'], enabled: false, urlOrigin: receiver.url }]);
    });

    it('deletes the channel after asking', async () => {
      await page.getByRole('button', { name: 'Delete channel' }).click();
      await dialog(page, 'Delete channel Ops Slack').getByRole('button', { name: 'Delete channel' }).click();
      await page.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();
      await page.getByText('No channel yet.', { exact: false }).waitFor();
      const { notificationChannels } = await erin.data<{ notificationChannels: unknown[] }>('{ notificationChannels { id } }');
      expect(notificationChannels).toEqual([]);
    });

    it('lets an auditor manage the channels they made', async () => {
      const auditor = new GraphQLClient(hub.url);
      await auditor.login('auditor@example.com', OWN_PASSWORD);
      const { createNotificationChannel } = await auditor.data<{ createNotificationChannel: { channel: { id: string } } }>(
        'mutation($i: CreateNotificationChannelInput!){ createNotificationChannel(input: $i){ channel { id } } }',
        { i: { name: 'Audit feed', url: `${receiver.url}/hook/audit`, events: ['SERVER_HEALTH_CHANGED'] } },
      );
      const id = createNotificationChannel.channel.id;
      await auditor.data('mutation($id: ID!){ updateNotificationChannel(id: $id, input: { name: "Audit feed 2" }){ id } }', { id });
      await auditor.data('mutation($id: ID!){ deleteNotificationChannel(id: $id) }', { id });
    });
  });

  describe('every page, both themes, by keyboard', () => {
    let teamId: string;
    let channelId: string;
    let page: Page;

    beforeAll(async () => {
      const { createTeam } = await admin.data<{ createTeam: { id: string } }>('mutation{ createTeam(input: { name: "Design Review" }){ id } }');
      teamId = createTeam.id;
      await admin.data('mutation($t: ID!){ addTeamMember(teamId: $t, email: "carol@example.com"){ id } }', { t: teamId });
      const { createNotificationChannel } = await admin.data<{ createNotificationChannel: { channel: { id: string } } }>(
        'mutation($i: CreateNotificationChannelInput!){ createNotificationChannel(input: $i){ channel { id } } }',
        { i: { name: 'Admin alerts', url: `${receiver.url}/hook/admin`, format: 'TEAMS', events: ['SERVER_HEALTH_CHANGED', 'UPSTREAM_FAILURES'] } },
      );
      channelId = createNotificationChannel.channel.id;
      await admin.data('mutation($id: ID!){ testNotificationChannel(id: $id){ id } }', { id: channelId });
      page = adminPage;
    });

    const pages: { name: string; path: string; heading: string; ready(page: Page): Locator }[] = [
      { name: 'users', path: '/users', heading: 'Users', ready: (p) => p.getByRole('row', { name: /bulk-00@example\.com/ }) },
      { name: 'teams', path: '/teams', heading: 'Teams', ready: (p) => p.getByRole('link', { name: 'Design Review' }) },
      { name: 'team', path: '/teams/:team', heading: 'Design Review', ready: (p) => p.getByRole('row', { name: /carol@example\.com/ }) },
      { name: 'notifications', path: '/notifications', heading: 'Notifications', ready: (p) => p.getByRole('link', { name: 'Admin alerts' }) },
      { name: 'notification-channel', path: '/notifications/:channel', heading: 'Admin alerts', ready: (p) => p.getByText('Delivered') },
    ];

    it.each<Theme>(['light', 'dark'])('has no serious accessibility violations on any page or dialog (%s)', async (theme) => {
      const found: Record<string, AxeViolation[]> = {};
      for (const { name, path, heading, ready } of pages) {
        await openPage(page, path.replace(':team', teamId).replace(':channel', channelId), heading);
        await useTheme(page, theme);
        await ready(page).first().waitFor({ timeout: 15_000 });
        found[name] = await seriousA11yViolations(page);
        await screenshot(page, `people-${name}`, theme);
      }
      await openPage(page, '/users', 'Users');
      await page.getByRole('button', { name: 'New user' }).click();
      const userForm = dialog(page, 'New user');
      await userForm.getByLabel(/^Email/).fill(`shot-${theme}@example.com`);
      await userForm.getByRole('button', { name: 'Generate a password' }).click();
      found['new user dialog'] = await seriousA11yViolations(page);
      await dialogShot(page, 'people-new-user', theme);
      await userForm.getByRole('button', { name: 'Create user' }).click();
      await dialog(page, 'User created').waitFor();
      found['user created dialog'] = await seriousA11yViolations(page);
      await dialogShot(page, 'people-user-created', theme);
      await dialog(page, 'User created').getByRole('button', { name: 'Done' }).click();

      await openPage(page, '/notifications', 'Notifications');
      await page.getByRole('button', { name: 'New channel' }).click();
      const channelForm = dialog(page, 'New notification channel');
      await channelForm.getByLabel(/^Name/).fill(`Shot ${theme}`);
      await channelForm.getByLabel(/^Webhook URL/).fill(`${receiver.url}/hook/shot`);
      found['new channel dialog'] = await seriousA11yViolations(page);
      await dialogShot(page, 'people-new-channel', theme);
      await channelForm.getByRole('button', { name: 'Create channel' }).click();
      await dialog(page, `Channel Shot ${theme} created`).waitFor();
      found['channel secret dialog'] = await seriousA11yViolations(page);
      await dialogShot(page, 'people-channel-secret', theme);
      await page.keyboard.press('Escape');
      // Every page is checked before failing, so one run names every violation.
      expect(Object.fromEntries(Object.entries(found).filter(([, v]) => v.length))).toEqual({});
    });

    it('reaches the main actions of each page by keyboard', async () => {
      await useTheme(page, 'light');
      await openPage(page, '/users', 'Users');
      await page.getByRole('row', { name: /bulk-00@example\.com/ }).waitFor();
      await tabTo(page, page.getByRole('button', { name: 'New user' }));
      await tabTo(page, page.getByLabel('Search'));
      await tabTo(page, page.getByRole('button', { name: 'Actions for bulk-00@example.com' }));
      await page.keyboard.press('Enter');
      await page.getByRole('menuitem', { name: 'Change role…' }).waitFor();
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      const roleDialog = dialog(page, /^Change the role of /);
      await roleDialog.waitFor();
      await page.keyboard.press('Escape');
      await roleDialog.waitFor({ state: 'hidden' });

      await openPage(page, `/teams/${teamId}`, 'Design Review');
      await tabTo(page, page.getByRole('button', { name: 'Rename' }));
      await tabTo(page, page.getByLabel(/^Email/));
      await page.keyboard.type('dave@example.com');
      await tabTo(page, page.getByRole('button', { name: 'Add member' }));
      await page.keyboard.press('Enter');
      await page.getByRole('row', { name: /dave@example\.com/ }).waitFor();
      await tabTo(page, page.getByLabel('Team role of dave@example.com'));
      await tabTo(page, page.getByRole('button', { name: 'Remove dave@example.com from the team' }));
      await page.keyboard.press('Enter');
      await dialog(page, 'Remove dave@example.com').getByRole('button', { name: 'Remove from team' }).waitFor();
      await page.keyboard.press('Enter');
      await page.getByRole('row', { name: /dave@example\.com/ }).waitFor({ state: 'detached' });

      await openPage(page, `/notifications/${channelId}`, 'Admin alerts');
      await tabTo(page, page.getByRole('button', { name: 'Send a test notification' }));
      await tabTo(page, page.getByRole('button', { name: 'Delete channel' }));
      await tabTo(page, page.getByRole('checkbox', { name: 'Key quota nearly used' }));
      await page.keyboard.press('Space');
      await tabTo(page, page.getByRole('button', { name: 'Save changes' }));
      await page.keyboard.press('Enter');
      await waitFor(async () => {
        const { notificationChannel } = await admin.data<{ notificationChannel: { events: string[] } }>('query($id: ID!){ notificationChannel(id: $id){ events } }', { id: channelId });
        return notificationChannel.events.includes('KEY_QUOTA_NEAR');
      }, 5_000, 'the saved event');
    });
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { databaseTargets } from '../../support/database-targets.js';
import { focused, launchChromium, screenshot, seriousA11yViolations, tabTo, useTheme, signedInPage } from '../../support/dashboard.js';
import { GraphQLClient } from '../../support/graphql-client.js';
import { MEMBER_PASSWORD, createPerson, registerServer } from '../../support/hub-fixtures.js';
import { startHub, type RunningHub } from '../../support/hub-app.js';

const ADMIN = { email: 'admin@example.com', password: 'admin-password-123' };
const PASSPHRASE = 'dashboard backup passphrase';

/** Closes the notification with this text (results that stay on screen until dismissed). */
async function dismiss(page: Page, text: string): Promise<void> {
  const notification = page.locator('.mantine-Notification-root').filter({ hasText: text });
  await notification.getByRole('button', { name: 'Dismiss' }).click();
  await notification.waitFor({ state: 'detached' });
}

describe('dashboard: backups', () => {
  let hub: RunningHub;
  let dir: string;
  let browser: Browser;
  let contexts: BrowserContext[] = [];
  let page: Page;

  const signedIn = (email: string, password: string, path: string): Promise<Page> => signedInPage(browser, hub.url, contexts, email, password, path);

  const rows = (p: Page) => p.getByRole('row').filter({ has: p.getByRole('button', { name: /^Restore / }) });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mcphub-dashboard-backups-'));
    hub = await startHub(databaseTargets[0], { BACKUP_DIR: dir });
    const admin = new GraphQLClient(hub.url);
    await admin.login(ADMIN.email, ADMIN.password);
    await registerServer(admin, { name: 'Docs', slug: 'docs', transport: 'STREAMABLE_HTTP', url: 'http://127.0.0.1:9/mcp', headers: [{ name: 'Authorization', value: 'Bearer upstream' }] });
    const member = await createPerson(admin, hub.url, 'member@example.com');
    await registerServer(member, { name: 'Mine', slug: 'mine', transport: 'STREAMABLE_HTTP', url: 'http://127.0.0.1:9/mcp', headers: [{ name: 'Authorization', value: 'Bearer mine' }] });
    await member.data('mutation($c: String, $n: String!){ changePassword(currentPassword: $c, newPassword: $n) }', { c: MEMBER_PASSWORD, n: 'member-chosen-42' });
    browser = await launchChromium();
    page = await signedIn(ADMIN.email, ADMIN.password, '/');
  }, 120_000);

  afterAll(async () => {
    for (const c of contexts) await c.close();
    contexts = [];
    await browser?.close();
    await hub?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('is in the admin navigation, empty at first, accessible in both themes', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Backups' }).click();
    await page.getByRole('heading', { level: 1, name: 'Backups' }).waitFor();
    await page.getByText('No backup yet.', { exact: false }).waitFor();
    await page.mouse.move(0, 0);
    for (const theme of ['light', 'dark'] as const) {
      await useTheme(page, theme);
      expect(await seriousA11yViolations(page)).toEqual([]);
    }
    await useTheme(page, 'light');
  });

  it('creates a backup by keyboard with a repeated passphrase', async () => {
    await tabTo(page, page.getByRole('button', { name: 'Back up the hub' }));
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Create a backup of the hub' });
    const first = dialog.getByLabel(/^Passphrase( \*)?$/);
    await focused(page, first);
    await page.keyboard.type(PASSPHRASE);
    // Mantine's show-passphrase toggle is out of the tab order: Tab goes to the second field.
    await page.keyboard.press('Tab');
    await focused(page, dialog.getByLabel(/^Passphrase again/));
    await page.keyboard.type('something else entirely');
    await dialog.getByText('The two passphrases differ').waitFor();
    expect(await dialog.getByRole('button', { name: 'Create backup' }).isDisabled()).toBe(true);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await dialog.getByLabel(/^Passphrase again/).fill(PASSPHRASE);
    await dialog.getByRole('button', { name: 'Create backup' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByText(/^Backup written: mcphub-hub-/).waitFor();
    await rows(page).first().waitFor();
    await expect(rows(page).count()).resolves.toBe(1);
  });

  it('verifies the archive, and shows a failed verification with its reason', async () => {
    await page.getByRole('button', { name: /^More actions for / }).first().click();
    await page.getByRole('menuitem', { name: 'Verify' }).click();
    const dialog = page.getByRole('dialog', { name: 'Verify a backup' });
    await focused(page, dialog.getByLabel('Passphrase'));
    await page.keyboard.type('not the passphrase');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    await page.getByText('Verification failed').waitFor();
    await rows(page).getByText(/^Failed/).waitFor();
    // A failure stays on screen until dismissed.
    await dismiss(page, 'Verification failed');

    await page.getByRole('button', { name: /^More actions for / }).first().click();
    await page.getByRole('menuitem', { name: 'Verify' }).click();
    await focused(page, dialog.getByLabel('Passphrase'));
    await page.keyboard.type(PASSPHRASE);
    await page.keyboard.press('Enter');
    await page.getByText('Archive verified').waitFor();
    await rows(page).getByText(/^OK/).waitFor();
  });

  it('previews a restore (dry run), refuses a wrong passphrase in the dialog, then restores', async () => {
    await page.getByRole('button', { name: /^Restore mcphub-hub-/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Restore a backup' });
    await focused(page, dialog.getByLabel('Passphrase'));
    await page.keyboard.type('wrong wrong wrong');
    await dialog.getByRole('button', { name: 'Preview (dry run)' }).click();
    await dialog.getByRole('alert').getByText(/wrong passphrase/).waitFor();

    await dialog.getByLabel('Passphrase').fill(PASSPHRASE);
    await dialog.getByRole('radio', { name: 'Skip' }).check();
    await dialog.getByRole('button', { name: 'Preview (dry run)' }).click();
    // The hub holds what the archive holds: everything would stay as it is.
    await dialog.getByText(/^A restore would: create 0, change 0, skip 0, leave \d+ unchanged\.$/).waitFor();
    await dialog.getByRole('table', { name: 'Rows by table' }).getByText('mcp_servers').waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'backups-restore-preview', 'light');
    // Changing the strategy asks for a new preview before restoring.
    await dialog.getByRole('radio', { name: 'Overwrite' }).check();
    await dialog.getByRole('button', { name: 'Preview (dry run)' }).click();
    await dialog.getByRole('button', { name: 'Restore', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByText('Backup restored').waitFor();
    await rows(page).getByText(/\(overwrite\)$/).waitFor();
    await dismiss(page, 'Backup restored');
  });

  it('downloads the archive and uploads it back as a new entry', async () => {
    await page.getByRole('button', { name: /^More actions for / }).first().click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('menuitem', { name: 'Download' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^mcphub-hub-.*\.mcphub-backup$/);
    const file = join(dir, 'downloaded.mcphub-backup');
    await download.saveAs(file);
    expect((await readFile(file)).subarray(0, 14).toString()).toBe('MCPHUB-BACKUP ');

    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Upload archive' }).click()]);
    await chooser.setFiles(file);
    await page.getByText(/^Archive uploaded as mcphub-upload-/).waitFor();
    await rows(page).filter({ hasText: /^mcphub-upload-/ }).waitFor();
    await expect(rows(page).count()).resolves.toBe(2);
    await page.mouse.move(0, 0);
    for (const theme of ['light', 'dark'] as const) {
      await useTheme(page, theme);
      expect(await seriousA11yViolations(page)).toEqual([]);
      await screenshot(page, 'backups', theme);
    }
    await useTheme(page, 'light');
  });

  it('lets a member back up their own configuration, download it, upload it and restore it after deleting their server', async () => {
    const member = await signedIn('member@example.com', 'member-chosen-42', '/');
    await member.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Backups' }).click();
    await member.getByRole('heading', { level: 1, name: 'Backups' }).waitFor();
    // The admin's whole-hub archives are not theirs to see, nor to make.
    await member.getByText('No backup yet.', { exact: false }).waitFor();
    await expect(member.getByRole('button', { name: 'Back up the hub' }).count()).resolves.toBe(0);

    await member.getByRole('button', { name: 'Back up my configuration' }).click();
    const create = member.getByRole('dialog', { name: 'Back up my configuration' });
    await create.getByText(/Not your API keys/).waitFor();
    await create.getByLabel(/^Passphrase( \*)?$/).fill(PASSPHRASE);
    await create.getByLabel(/^Passphrase again/).fill(PASSPHRASE);
    await create.getByRole('button', { name: 'Create backup' }).click();
    await member.getByText(/^Backup written: mcphub-user-/).waitFor();
    await rows(member).filter({ hasText: 'Personal' }).waitFor();

    await member.getByRole('button', { name: /^More actions for / }).first().click();
    const [download] = await Promise.all([member.waitForEvent('download'), member.getByRole('menuitem', { name: 'Download' }).click()]);
    const file = join(dir, 'personal.mcphub-backup');
    await download.saveAs(file);
    const [chooser] = await Promise.all([member.waitForEvent('filechooser'), member.getByRole('button', { name: 'Upload archive' }).click()]);
    await chooser.setFiles(file);
    await member.getByText(/^Archive uploaded as mcphub-upload-/).waitFor();
    // The list reloads after the notification: wait for the new row before counting.
    await rows(member).filter({ hasText: /^mcphub-upload-/ }).waitFor();
    await expect(rows(member).count()).resolves.toBe(2);

    const api = new GraphQLClient(hub.url);
    await api.login('member@example.com', 'member-chosen-42');
    const { servers } = await api.data<{ servers: { id: string }[] }>('{ servers { id } }');
    await api.data('mutation($id: ID!){ removeServer(id: $id) }', { id: servers[0].id });

    await member.getByRole('button', { name: /^Restore mcphub-upload-/ }).click();
    const dialog = member.getByRole('dialog', { name: 'Restore a backup' });
    await dialog.getByText(/restored into your own account/).waitFor();
    await dialog.getByLabel('Passphrase').fill(PASSPHRASE);
    await dialog.getByRole('button', { name: 'Preview (dry run)' }).click();
    await dialog.getByText(/^A restore would: create 1, change 0, skip 0, leave 0 unchanged\.$/).waitFor();
    expect(await seriousA11yViolations(member)).toEqual([]);
    await dialog.getByRole('button', { name: 'Restore', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await member.getByText('Backup restored').waitFor();
    expect((await api.data<{ servers: { slug: string }[] }>('{ servers { slug } }')).servers.map((s) => s.slug)).toEqual(['mine']);
  });
});

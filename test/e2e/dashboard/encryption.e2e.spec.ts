import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { databaseTargets } from '../../support/database-targets.js';
import { focused, launchChromium, newDashboardContext, screenshot, seriousA11yViolations, signIn, tabTo, useTheme } from '../../support/dashboard.js';
import { GraphQLClient } from '../../support/graphql-client.js';
import { MEMBER_PASSWORD, createPerson, registerServer } from '../../support/hub-fixtures.js';
import { startHub, type RunningHub } from '../../support/hub-app.js';

const ADMIN = { email: 'admin@example.com', password: 'admin-password-123' };
const SERVERS = 8;
/** Two headers per server. */
const SECRETS = 2 * SERVERS;

describe('dashboard: settings › encryption', () => {
  let hub: RunningHub;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let page: Page;
  let admin: GraphQLClient;

  const keyRow = (id: string) => page.getByRole('row').filter({ hasText: id });
  const currentDataKey = async () =>
    (await admin.data<{ encryptionKeys: { id: string; kind: string; sealsNewValues: boolean }[] }>('{ encryptionKeys { id kind sealsNewValues } }')).encryptionKeys.find(
      (k) => k.kind === 'DATA' && k.sealsNewValues,
    )!.id;

  beforeAll(async () => {
    // One secret per batch, spaced: the second rotation is still running when the spec tries to retire the old key.
    hub = await startHub(databaseTargets[0], { KEY_ROTATION_BATCH_SIZE: '1', KEY_ROTATION_BATCH_DELAY_MS: '400' });
    admin = new GraphQLClient(hub.url);
    await admin.login(ADMIN.email, ADMIN.password);
    for (let i = 0; i < SERVERS; i++) {
      await registerServer(admin, {
        name: `sealed-${i}`,
        transport: 'STREAMABLE_HTTP',
        url: 'http://127.0.0.1:9/mcp',
        enabled: false,
        headers: [
          { name: 'authorization', value: `Bearer token-${i}` },
          { name: 'x-tenant', value: `tenant-${i}` },
        ],
      });
    }
    const member = await createPerson(admin, hub.url, 'member@example.com');
    await member.data('mutation($c: String, $n: String!){ changePassword(currentPassword: $c, newPassword: $n) }', { c: MEMBER_PASSWORD, n: 'member-chosen-42' });
    browser = await launchChromium();
    const context = await newDashboardContext(browser, hub.url);
    contexts.push(context);
    page = await context.newPage();
    await signIn(page, ADMIN.email, ADMIN.password);
  }, 120_000);

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await hub?.close();
  });

  it('lists the master key with every secret, accessible in both themes', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Encryption' }).click();
    await page.getByRole('heading', { level: 1, name: 'Encryption' }).waitFor();
    const master = page.getByRole('row').filter({ hasText: 'Master key' });
    await expect(master.getByRole('cell').nth(4).textContent()).resolves.toBe(String(SECRETS));
    await expect(master.getByText('seals new values').count()).resolves.toBe(1);
    await page.mouse.move(0, 0);
    for (const theme of ['light', 'dark'] as const) {
      await useTheme(page, theme);
      expect(await seriousA11yViolations(page)).toEqual([]);
      await screenshot(page, 'encryption', theme);
    }
    await useTheme(page, 'light');
  });

  it('rotates by keyboard and shows the progress until every secret is re-sealed under the new key', async () => {
    const rotate = page.getByRole('button', { name: 'Rotate key' });
    await tabTo(page, rotate);
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Rotate the encryption key' });
    await focused(page, dialog.getByRole('button', { name: 'Rotate' }));
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    await page.getByText('Rotation in progress').waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByText('Last rotation finished', { exact: true }).waitFor({ timeout: 30_000 });
    await page.getByText(`${SECRETS} of ${SECRETS} secrets re-sealed (100 %)`).waitFor();
    const id = await currentDataKey();
    await expect(keyRow(id).getByRole('cell').nth(4).textContent()).resolves.toBe(String(SECRETS));
    await expect(page.getByRole('row').filter({ hasText: 'Master key' }).getByRole('cell').nth(4).textContent()).resolves.toBe('0');
  }, 60_000);

  it('refuses to retire a key still in use, with the counts, and retires it once the next rotation is done', async () => {
    const old = await currentDataKey();
    await page.getByRole('button', { name: 'Rotate key' }).click();
    await page.getByRole('dialog', { name: 'Rotate the encryption key' }).getByRole('button', { name: 'Rotate' }).click();
    await page.getByText('Rotation in progress').waitFor();

    await keyRow(old).getByRole('button', { name: `Retire key ${old}` }).click();
    const dialog = page.getByRole('dialog', { name: `Retire key ${old}` });
    await dialog.getByRole('button', { name: 'Retire for good' }).click();
    await expect(dialog.getByRole('alert').textContent()).resolves.toMatch(new RegExp(`Encryption key ${old} still seals \\d+ ciphertext`));
    // The pointer off the button it clicked (a hovered button is not what axe should measure).
    await page.mouse.move(0, 0);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    await page.getByText('Last rotation finished', { exact: true }).waitFor({ timeout: 30_000 });
    await keyRow(old).getByRole('button', { name: `Retire key ${old}` }).click();
    await page.getByRole('dialog', { name: `Retire key ${old}` }).getByRole('button', { name: 'Retire for good' }).click();
    await keyRow(old).getByText('retired').waitFor();
    await expect(keyRow(old).getByRole('button').count()).resolves.toBe(0);
  }, 60_000);

  it('is not offered to members', async () => {
    const context = await newDashboardContext(browser, hub.url);
    contexts.push(context);
    const member = await context.newPage();
    await signIn(member, 'member@example.com', 'member-chosen-42');
    await member.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Servers' }).waitFor();
    await expect(member.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Encryption' }).count()).resolves.toBe(0);
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { databaseTargets } from '../../support/database-targets.js';
import { launchChromium, newDashboardContext, screenshot, seriousA11yViolations, signIn, tabTo } from '../../support/dashboard.js';
import { GraphQLClient } from '../../support/graphql-client.js';
import { startHub, type RunningHub } from '../../support/hub-app.js';
import { createKey } from '../../support/hub-fixtures.js';
import { connectStreamable } from '../../support/mcp-clients.js';
import { everythingStdio } from '../../support/upstreams.js';

const ADMIN = { email: 'admin@example.com', password: 'admin-password-123' };
const SECRET = 'pasted-env-secret-789';

/**
 * Importing a pasted Claude Desktop config from the groups page, by keyboard: preview (a dry run that creates
 * nothing), import, land on the new group, and export it; an agent then calls a tool through the group.
 */
describe('dashboard: import from a client config, export a group', () => {
  let hub: RunningHub;
  let api: GraphQLClient;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const groupCount = async () => (await api.data<{ groups: unknown[] }>('{ groups(first: 100){ id } }')).groups.length;

  beforeAll(async () => {
    hub = await startHub(databaseTargets[0]);
    api = new GraphQLClient(hub.url);
    await api.login(ADMIN.email, ADMIN.password);
    browser = await launchChromium();
    context = await newDashboardContext(browser, hub.url);
    page = await context.newPage();
    await signIn(page, ADMIN.email, ADMIN.password, '/groups');
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.close();
  });

  it('previews a pasted config without creating anything, then imports it and opens the new group', async () => {
    await page.getByRole('heading', { name: 'Groups', level: 1 }).waitFor();
    const open = page.getByRole('button', { name: 'Import from a client config' });
    await tabTo(page, open);
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Import from a client config' });
    await dialog.waitFor();
    const config = { mcpServers: { everything: { ...everythingStdio(), env: { API_TOKEN: SECRET } } } };
    await dialog.getByLabel(/^Config JSON/).fill(JSON.stringify(config, null, 2));
    await dialog.getByLabel('Group name').fill('Desktop tools');
    await dialog.getByLabel('Group name').press('Enter');
    const preview = dialog.getByRole('region', { name: 'Import preview' });
    await preview.getByRole('table', { name: 'Servers the import creates' }).waitFor();
    expect(await preview.getByRole('cell', { name: 'API_TOKEN' }).count()).toBe(1);
    expect(await dialog.locator('table').textContent()).not.toContain(SECRET);
    expect(await groupCount()).toBe(0);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'import-client-config-preview', 'light');

    await dialog.getByRole('button', { name: 'Import 1 server(s)' }).click();
    await page.getByRole('heading', { name: 'Desktop tools', level: 1 }).waitFor();
    expect(await groupCount()).toBe(1);

    const { secret } = await createKey(api, { name: 'agent' });
    const agent = await connectStreamable(hub.url, 'desktop-tools', secret);
    try {
      const result = await agent.callTool({ name: 'echo', arguments: { message: 'from an imported config' } });
      expect(JSON.stringify(result.content)).toContain('from an imported config');
    } finally {
      await agent.close();
    }
  });

  it('shows a bad entry by name and field, and imports nothing', async () => {
    await page.goto(`${hub.url}/groups`);
    await page.getByRole('button', { name: 'Import from a client config' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import from a client config' });
    await dialog.getByLabel(/^Config JSON/).fill(JSON.stringify({ mcpServers: { broken: { url: 'ftp://example.com/x' } } }));
    await dialog.getByRole('button', { name: 'Preview' }).click();
    await dialog.getByText('json.mcpServers.broken.url: must be an http').waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await groupCount()).toBe(1);
  });

  it("exports the group: its endpoint entry and the member's definition with the secret as a reference", async () => {
    await page.goto(`${hub.url}/groups/desktop-tools?tab=connect`);
    const section = page.getByRole('region', { name: 'Export as a client config' });
    const members = section.locator('[data-export="member-servers"]');
    await members.waitFor();
    const text = (await members.textContent())!;
    expect(JSON.parse(text).mcpServers.everything.env).toEqual({ API_TOKEN: '${env:API_TOKEN}' });
    expect(await section.locator('[data-export="group-endpoint"]').textContent()).toContain('/mcp/desktop-tools');
    await section.getByText('VS Code (servers)').click();
    await section.locator('[data-export="member-servers"]', { hasText: '${input:everything-api_token}' }).waitFor();
    expect(await page.content()).not.toContain(SECRET);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'group-export', 'light');
  });
});

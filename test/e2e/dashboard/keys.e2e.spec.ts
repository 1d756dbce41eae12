import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { databaseTargets } from '../../support/database-targets.js';
import { launchChromium, newDashboardContext, screenshot, seriousA11yViolations, signIn, tabTo, useTheme, type Theme } from '../../support/dashboard.js';
import { GraphQLClient } from '../../support/graphql-client.js';
import { MEMBER_PASSWORD, createGroup, createKey, createPerson, registerServer } from '../../support/hub-fixtures.js';
import { startHub, type RunningHub } from '../../support/hub-app.js';
import { everythingStdio, waitFor } from '../../support/upstreams.js';

const ADMIN_EMAIL = 'admin@example.com';
const ADMIN_PASSWORD = 'admin-password-123';
const KEY_NAME = 'cursor-laptop';

/** What a person pastes into Cursor's mcp.json. */
interface CursorConfig {
  mcpServers: Record<string, { url: string; headers: { Authorization: string } }>;
}

/** An MCP SDK client configured exactly as the snippet says: its URL and its Authorization header, nothing else. */
async function connectLikeCursor(config: CursorConfig): Promise<Client> {
  const [server] = Object.values(config.mcpServers);
  const client = new Client({ name: 'cursor-snippet', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(server.url), { requestInit: { headers: { Authorization: server.headers.Authorization } } }));
  return client;
}

/** The clipboard, as the page can read it (the test context grants the permission). */
const clipboard = (page: Page) => page.evaluate<string>('navigator.clipboard.readText()');

describe('dashboard: API keys (create, secret once, connect, usage, edit, revoke)', () => {
  let hub: RunningHub;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let admin: GraphQLClient;
  let group: { id: string; slug: string };
  let secret: string;
  let keyPath: string;
  let agent: Client;

  beforeAll(async () => {
    hub = await startHub(databaseTargets[0]);
    admin = new GraphQLClient(hub.url);
    await admin.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    const server = await registerServer(admin, { name: 'Everything', slug: 'everything', transport: 'STDIO', ...everythingStdio() });
    group = await createGroup(admin, 'tools', [server.id]);
    await createGroup(admin, 'other', []);
    browser = await launchChromium();
    context = await newDashboardContext(browser, hub.url);
    page = await context.newPage();
    await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD, '/keys');
  }, 120_000);

  afterAll(async () => {
    await agent?.close().catch(() => undefined);
    await browser?.close();
    await hub?.close();
  });

  it('shows an empty list that leads, by keyboard, to the form', async () => {
    await page.getByRole('heading', { name: 'No API keys yet' }).waitFor();
    await tabTo(page, page.getByRole('link', { name: 'Create key' }));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Create an API key' }).waitFor();
    await tabTo(page, page.getByLabel(/^Name/));
    await tabTo(page, page.getByRole('button', { name: 'Create key' }));
  });

  it("puts the API's message under the field it names", async () => {
    await page.getByLabel(/^Name/).fill('   ');
    await page.getByRole('button', { name: 'Create key' }).click();
    await page.getByText('must not be empty').waitFor();
    await expect(page.getByLabel(/^Name/).getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.getByRole('heading', { name: 'API key created' }).count()).resolves.toBe(0);
  });

  it('creates a key scoped to a group with quotas and tags, and shows its secret once with a warning and a copy button', async () => {
    await page.getByLabel(/^Name/).fill(KEY_NAME);
    await page.getByRole('combobox', { name: 'Groups' }).click();
    await page.getByRole('option', { name: 'tools (tools)' }).click();
    await page.keyboard.press('Escape');
    await page.getByLabel('Calls per minute').fill('60');
    await page.getByRole('combobox', { name: 'Tags' }).fill('laptop');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Create key' }).click();

    await page.getByRole('heading', { name: 'API key created' }).waitFor();
    await page.getByText('Copy the key now: it is shown only this once').waitFor();
    secret = (await page.getByTestId('new-key-secret').textContent())!.trim();
    expect(secret).toMatch(/^mcph_/);
    await page.getByRole('button', { name: 'Copy the API key' }).click();
    await expect(clipboard(page)).resolves.toBe(secret);
  });

  it('connects the MCP SDK client with exactly the copied Cursor snippet and calls a tool', async () => {
    await page.getByRole('tab', { name: 'Cursor' }).click();
    await page.getByRole('button', { name: 'Copy the Cursor snippet' }).click();
    const copied = await clipboard(page);
    const config = JSON.parse(copied) as CursorConfig;
    const [server] = Object.values(config.mcpServers);
    expect(server.url).toBe(`${hub.url}/mcp/${group.slug}`);
    expect(server.headers.Authorization).toBe(`Bearer ${secret}`);

    agent = await connectLikeCursor(config);
    const { tools } = await agent.listTools();
    expect(tools.map((t) => t.name)).toContain('everything__echo');
    const result = await agent.callTool({ name: 'everything__echo', arguments: { message: 'hello from the keys page' } });
    expect(JSON.stringify(result.content)).toContain('hello from the keys page');
  });

  it("shows every client's snippet exactly as the API writes it, with the new key in place of the placeholder", async () => {
    const { group: api } = await admin.data<{ group: { clientConfigs: { client: string; label: string; text: string; keyPlaceholder: string | null; docsUrl: string }[] } }>(
      'query($s: String!){ group(slug: $s){ clientConfigs { client label text keyPlaceholder docsUrl } } }',
      { s: group.slug },
    );
    expect(api.clientConfigs.map((c) => c.client)).toEqual(['CURSOR', 'CLAUDE_DESKTOP', 'CLAUDE_CODE', 'VSCODE', 'MCP_INSPECTOR']);
    for (const config of api.clientConfigs) {
      await page.getByRole('tab', { name: config.label }).click();
      const shown = await page.locator(`[data-snippet="${config.client}"]`).textContent();
      expect({ client: config.client, shown }).toEqual({
        client: config.client,
        shown: config.keyPlaceholder ? config.text.replaceAll(config.keyPlaceholder, secret) : config.text,
      });
      if (config.keyPlaceholder) expect(shown).toContain(secret);
      await expect(page.getByRole('link', { name: `${config.label} documentation` }).getAttribute('href')).resolves.toBe(config.docsUrl);
    }
    await page.getByRole('tab', { name: 'Cursor' }).click();
  });

  it.each<Theme>(['light', 'dark'])('has no serious accessibility violations on the created-key view (%s)', async (theme) => {
    await useTheme(page, theme);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'key-created', theme);
  });

  it("shows the call in the key's usage counters, chart and tool table (recorded asynchronously)", async () => {
    await useTheme(page, 'light');
    await page.getByRole('link', { name: /^Done, show the key/ }).click();
    await page.getByRole('heading', { name: KEY_NAME }).waitFor();
    keyPath = new URL(page.url()).pathname;
    const calls = page.locator('[data-stat="Calls"]');
    await waitFor(
      async () => {
        // Pressing Refresh waits while the previous refresh is still loading (the button is disabled then).
        await page.getByRole('button', { name: 'Refresh usage' }).click();
        return (await calls.textContent()) === '1';
      },
      20_000,
      'the call to show in the usage counters',
    );
    await expect(page.locator('[data-stat="Errors"]').textContent()).resolves.toBe('0');
    const toolRow = page.getByRole('table', { name: 'Calls by tool' }).getByRole('row', { name: /echo/ });
    await expect(toolRow.textContent()).resolves.toMatch(/echo\s*everything\s*1\s*0/);
    // The hourly chart drew something for the hour of the call.
    await page.getByRole('figure', { name: 'Calls per hour' }).locator('.recharts-area-area').first().waitFor();
    await page.getByRole('figure', { name: 'Calls by server' }).getByText('everything').first().waitFor();
  });

  it('never shows the secret again: not after a reload of the list, not on the key page', async () => {
    const hidden = secret.split('_').at(-1)!;
    await page.goto('/keys');
    await page.getByRole('link', { name: KEY_NAME }).waitFor();
    const row = page.getByRole('row', { name: new RegExp(KEY_NAME) });
    await expect(row.textContent()).resolves.toMatch(/laptop/);
    await expect(row.textContent()).resolves.toMatch(/60 \/ min/);
    await expect(row.textContent()).resolves.toMatch(/Active/);
    expect(await page.content()).not.toContain(hidden);
    await page.reload();
    await page.getByRole('link', { name: KEY_NAME }).waitFor();
    expect(await page.content()).not.toContain(hidden);
    await page.goto(keyPath);
    await page.getByRole('heading', { name: 'Details' }).waitFor();
    expect(await page.content()).not.toContain(hidden);
    const stored = await page.evaluate<string>('JSON.stringify({ ...localStorage, ...sessionStorage })');
    expect(stored).not.toContain(hidden);
  });

  it.each<Theme>(['light', 'dark'])('has no serious accessibility violations on the list, form and key pages (%s)', async (theme) => {
    for (const [path, heading, name] of [
      ['/keys', 'API keys', 'keys'],
      ['/keys/new', 'Create an API key', 'key-new'],
      [keyPath, KEY_NAME, 'key-detail'],
    ] as const) {
      await page.goto(path);
      await useTheme(page, theme);
      await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
      if (name === 'key-detail') await page.locator('[data-stat="Calls"]').waitFor();
      if (name === 'keys') await page.getByRole('link', { name: KEY_NAME }).waitFor();
      expect({ path, violations: await seriousA11yViolations(page) }).toEqual({ path, violations: [] });
        await screenshot(page, name, theme);
    }
    await useTheme(page, 'light');
  });

  it('edits quotas and tags by keyboard in a dialog, and the API keeps them', async () => {
    await page.goto(keyPath);
    await tabTo(page, page.getByRole('button', { name: 'Edit key' }));
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: `Edit key “${KEY_NAME}”` });
    await dialog.waitFor();
    await dialog.getByLabel('Calls per minute').fill('120');
    await dialog.getByLabel('Calls per day').fill('5000');
    await dialog.getByRole('combobox', { name: 'Tags' }).fill('ci');
    await page.keyboard.press('Enter');
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByText('120 / min · 5,000 / day').waitFor();
    const { apiKey } = await admin.data<{ apiKey: { perMinute: number; perDay: number; tags: string[]; groupIds: string[] } }>(
      'query($id: ID!){ apiKey(id: $id){ perMinute perDay tags groupIds } }',
      { id: keyPath.split('/').at(-1) },
    );
    expect(apiKey).toEqual({ perMinute: 120, perDay: 5000, tags: ['laptop', 'ci'], groupIds: [group.id] });
  });

  it('revokes the key after asking, and the SDK client is refused from then on', async () => {
    await page.goto(keyPath);
    await tabTo(page, page.getByRole('button', { name: `Revoke key ${KEY_NAME}` }));
    await page.keyboard.press('Enter');
    const confirm = page.getByRole('dialog', { name: `Revoke key “${KEY_NAME}”?` });
    await confirm.waitFor();
    // Escape cancels: nothing happens.
    await page.keyboard.press('Escape');
    await confirm.waitFor({ state: 'hidden' });
    await expect(agent.callTool({ name: 'everything__echo', arguments: { message: 'still allowed' } })).resolves.toBeDefined();

    await page.getByRole('button', { name: `Revoke key ${KEY_NAME}` }).click();
    await confirm.getByRole('button', { name: 'Revoke key' }).click();
    await page.getByText('This key is revoked').waitFor();
    await expect(page.getByRole('button', { name: 'Edit key' }).count()).resolves.toBe(0);

    await expect(agent.callTool({ name: 'everything__echo', arguments: { message: 'after revoke' } })).rejects.toThrow(/401|revoked/i);
    const config: CursorConfig = { mcpServers: { tools: { url: `${hub.url}/mcp/${group.slug}`, headers: { Authorization: `Bearer ${secret}` } } } };
    await expect(connectLikeCursor(config)).rejects.toThrow(/401|revoked/i);

    await page.goto('/keys');
    await expect(page.getByRole('row', { name: new RegExp(KEY_NAME) }).textContent()).resolves.toMatch(/Revoked/);
  });

  it("shows a member only their own keys, and an admin everyone's with the owner or only their own", async () => {
    const member = await createPerson(admin, hub.url, 'dev@example.com');
    const ownPassword = 'dev-own-password-1';
    await member.data('mutation($c: String, $n: String!){ changePassword(currentPassword: $c, newPassword: $n) }', { c: MEMBER_PASSWORD, n: ownPassword });
    await createKey(member, { name: 'dev-key' });

    const memberContext = await newDashboardContext(browser, hub.url);
    try {
      const memberPage = await memberContext.newPage();
      await signIn(memberPage, 'dev@example.com', ownPassword, '/keys');
      await memberPage.getByRole('link', { name: 'dev-key' }).waitFor();
      await expect(memberPage.locator('tbody tr').count()).resolves.toBe(1);
      await expect(memberPage.getByRole('columnheader', { name: 'Owner' }).count()).resolves.toBe(0);
      await expect(memberPage.getByRole('radiogroup', { name: 'Whose keys' }).count()).resolves.toBe(0);
      expect(await seriousA11yViolations(memberPage)).toEqual([]);
    } finally {
      await memberContext.close();
    }

    await page.goto('/keys');
    await page.getByRole('columnheader', { name: 'Owner' }).waitFor();
    await expect(page.getByRole('row', { name: /dev-key/ }).textContent()).resolves.toContain('dev@example.com');
    await page.getByText('My keys').click();
    await page.getByRole('link', { name: KEY_NAME }).waitFor();
    await expect(page.getByRole('link', { name: 'dev-key' }).count()).resolves.toBe(0);
    await expect(page.getByRole('columnheader', { name: 'Owner' }).count()).resolves.toBe(0);
  });

  it("pages through a long list with 'Load more' (cursor), newest first, without repeating a key", async () => {
    for (let i = 0; i < 30; i++) await createKey(admin, { name: `bulk-${String(i).padStart(2, '0')}` });
    await page.goto('/keys');
    // Everyone's keys: the admin's 31 and the member's one.
    await page.getByRole('link', { name: 'bulk-29' }).waitFor();
    const names = () => page.locator('tbody tr td:first-child a').allTextContents();
    expect(await names()).toHaveLength(25);
    // After the sidebar and 25 rows of a link and a Revoke button each.
    await tabTo(page, page.getByRole('button', { name: 'Load more keys' }), 150);
    await page.keyboard.press('Enter');
    await page.getByText('32 keys').waitFor();
    const all = await names();
    expect(all).toHaveLength(32);
    expect(new Set(all).size).toBe(32);
    expect(all.slice(0, 3)).toEqual(['bulk-29', 'bulk-28', 'bulk-27']);
    expect(all).toEqual(expect.arrayContaining([KEY_NAME, 'dev-key']));
    await expect(page.getByRole('button', { name: 'Load more keys' }).count()).resolves.toBe(0);
  });
});

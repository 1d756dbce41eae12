import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { databaseTargets } from '../../support/database-targets.js';
import { launchChromium, newDashboardContext, screenshot, seriousA11yViolations, signIn, tabTo, useTheme, type Theme } from '../../support/dashboard.js';
import { GraphQLClient } from '../../support/graphql-client.js';
import { MEMBER_PASSWORD, createPerson, createTeam, registerServer } from '../../support/hub-fixtures.js';
import { startHub, type RunningHub } from '../../support/hub-app.js';
import { startStatelessUpstream, type StatelessUpstream } from '../../support/stateless-upstream.js';
import { EVERYTHING_ENTRY, startEverythingHttp, waitFor, type RunningUpstream } from '../../support/upstreams.js';
import { UpstreamPool } from '#mcp-gateway';

const ADMIN_EMAIL = 'admin@example.com';
const ADMIN_PASSWORD = 'admin-password-123';
/** Sent as an env var of the stdio server: it must never come back to the browser. */
const SECRET = 'do-not-show-me-7c1f9e';

/** The text that describes an input to assistive technology (Mantine puts field errors there). */
const describedBy = (input: Locator) =>
  input.evaluate((node: unknown) => {
    // Typed by hand: the hub's tsconfig has no DOM library.
    const el = node as { getAttribute(name: string): string | null; ownerDocument: { getElementById(id: string): { textContent: string | null } | null } };
    return (el.getAttribute('aria-describedby') ?? '')
      .split(' ')
      .map((id) => el.ownerDocument.getElementById(id)?.textContent ?? '')
      .join(' ');
  });

/** The page's global object, for marking the document (a reload would lose the mark) and scrolling. */
type PageGlobal = { sameDocument?: boolean; scrollTo(x: number, y: number): void };

describe('dashboard: servers', () => {
  let hub: RunningHub;
  let admin: GraphQLClient;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let upstream: RunningUpstream | undefined;
  let modern: StatelessUpstream | undefined;
  let stdioId: string;
  let httpId: string;

  beforeAll(async () => {
    hub = await startHub(databaseTargets[0]);
    admin = new GraphQLClient(hub.url);
    await admin.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    await createTeam(admin, 'platform');
    browser = await launchChromium();
    context = await newDashboardContext(browser, hub.url);
    page = await context.newPage();
    await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD, '/servers');
  }, 120_000);

  afterAll(async () => {
    await upstream?.stop();
    await modern?.stop();
    await browser?.close();
    await hub?.close();
  });

  it('registers server-everything over stdio through the form by keyboard, tests it and shows the discovered tools', async () => {
    await page.getByRole('heading', { name: 'Servers', level: 1 }).waitFor();
    await page.getByText('No servers yet').waitFor();
    await tabTo(page, page.getByRole('link', { name: 'Register server' }));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Register a server' }).waitFor();
    // Admins get STDIO first; its fields only.
    await expect(page.getByRole('radio', { name: /^STDIO/ }).isChecked()).resolves.toBe(true);
    await expect(page.getByLabel('URL').count()).resolves.toBe(0);
    await page.getByLabel(/^Name/).first().fill('Everything (stdio)');
    await page.getByLabel(/^Command/).fill(process.execPath);
    await page.getByLabel(/^Arguments/).fill(`${EVERYTHING_ENTRY}\nstdio`);
    await page.getByRole('button', { name: 'Add variable' }).click();
    await page.getByLabel('Name of variable 1').fill('EVERYTHING_TOKEN');
    await page.getByLabel('Value of variable 1').fill(SECRET);
    await tabTo(page, page.getByRole('button', { name: 'Register server' }));
    await page.keyboard.press('Enter');

    await page.getByRole('heading', { name: 'Everything (stdio)', level: 1 }).waitFor();
    stdioId = /\/servers\/([0-9a-f-]{36})$/.exec(page.url())![1];
    await page.getByText('Not known yet: test the connection').waitFor();
    await tabTo(page, page.getByRole('button', { name: 'Test connection' }));
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: 'Connected' }).waitFor({ timeout: 30_000 });
    const tools = page.getByRole('region', { name: /^Tools \(\d+\)$/ });
    await tools.getByRole('cell', { name: 'echo', exact: true }).waitFor();
    await tools.getByRole('cell', { name: 'get-sum', exact: true }).waitFor();
    await page.getByRole('region', { name: /^Prompts \(\d+\)$/ }).getByRole('row').nth(1).waitFor();

    // Stored as given, shown back only as "set".
    const { server } = await admin.data<{ server: { command: string; args: string[]; env: { name: string }[] } }>('query($id: ID!){ server(id: $id){ command args env { name } } }', { id: stdioId });
    expect(server).toEqual({ command: process.execPath, args: [EVERYTHING_ENTRY, 'stdio'], env: [{ name: 'EVERYTHING_TOKEN' }] });
    await page.getByRole('tab', { name: 'Settings' }).click();
    await page.getByText('the value of EVERYTHING_TOKEN is set').waitFor();
    await page.getByRole('button', { name: 'Replace the value of EVERYTHING_TOKEN' }).waitFor();
    expect(await page.content()).not.toContain(SECRET);
  });

  it("shows the hub's message under the URL field for an invalid URL, and tells members STDIO is for admins", async () => {
    await page.goto('/servers/new');
    await page.getByRole('radio', { name: /^Streamable HTTP/ }).check();
    await expect(page.getByLabel(/^Command/).count()).resolves.toBe(0);
    await page.getByLabel(/^Name/).first().fill('Broken');
    const url = page.getByLabel(/^URL/);
    await url.fill('ftp://example.com/mcp');
    await page.getByRole('button', { name: 'Register server' }).click();
    await waitFor(async () => (await url.getAttribute('aria-invalid')) === 'true', 10_000, 'the URL field to be marked invalid');
    expect(await describedBy(url)).toContain('must be an http:// or https:// URL');
    expect(new URL(page.url()).pathname).toBe('/servers/new');

    await createPerson(admin, hub.url, 'member@example.com');
    const memberContext = await newDashboardContext(browser, hub.url);
    try {
      const member = await memberContext.newPage();
      await signIn(member, 'member@example.com', MEMBER_PASSWORD, '/servers/new');
      // An account an admin created starts with a password its owner must change.
      await member.getByLabel(/^Current password/).fill(MEMBER_PASSWORD);
      await member.getByLabel(/^New password/).fill('member-own-password-1');
      await member.getByLabel(/^Repeat the new password/).fill('member-own-password-1');
      await member.getByRole('button', { name: 'Change password' }).click();
      await member.getByRole('heading', { name: 'Register a server' }).waitFor();
      await expect(member.getByRole('radio', { name: /^STDIO/ }).isDisabled()).resolves.toBe(true);
      await expect(member.getByRole('radio', { name: /^Streamable HTTP/ }).isChecked()).resolves.toBe(true);
      await member.getByText("Only admins may register or change STDIO servers: they run a program on the hub's machine.").waitFor();
    } finally {
      await memberContext.close();
    }
  });

  it('turns the badge DOWN without a reload when the upstream process is killed', async () => {
    upstream = await startEverythingHttp('streamableHttp');
    httpId = (await registerServer(admin, { name: 'Everything (http)', transport: 'STREAMABLE_HTTP', url: upstream.url, tags: ['demo'] })).id;
    await admin.data('mutation($id: ID!){ updateServerBalancing(serverId: $id, input: { healthCheckIntervalSeconds: 5 }){ id } }', { id: httpId });
    await page.goto('/servers');
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: 'Everything (http)' }) });
    await row.locator('[data-health="HEALTHY"]').waitFor({ timeout: 30_000 });
    await page.evaluate(() => Object.assign(globalThis, { sameDocument: true }));
    const exited = new Promise((resolve) => upstream!.process.once('exit', resolve));
    upstream.process.kill('SIGKILL');
    await exited;
    upstream = undefined;
    await row.locator('[data-health="DOWN"]').waitFor({ timeout: 30_000 });
    await expect(page.evaluate(() => (globalThis as unknown as PageGlobal).sameDocument)).resolves.toBe(true);
    // Tags narrow the list.
    await row.getByRole('button', { name: 'Show servers tagged demo' }).click();
    await page.getByRole('row').filter({ has: page.getByRole('link', { name: 'Everything (stdio)' }) }).waitFor({ state: 'detached' });
  });

  it('adds, edits and removes a replica, saves balancing with the hub checking it, and shows runtime and health history', async () => {
    await page.goto(`/servers/${stdioId}?tab=replicas`);
    await page.getByRole('heading', { name: 'Load balancing' }).waitFor();
    await page.getByRole('button', { name: 'Add replica' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a replica' });
    await dialog.getByLabel(/^Name/).fill('second');
    await dialog.getByLabel(/^Command/).fill(process.execPath);
    await dialog.getByLabel(/^Arguments/).fill(`${EVERYTHING_ENTRY}\nstdio`);
    await dialog.getByLabel(/^Weight/).fill('3');
    await dialog.getByRole('button', { name: 'Add replica' }).click();
    await dialog.waitFor({ state: 'detached' });
    const replicaRow = page.getByRole('row').filter({ hasText: 'second' });
    await replicaRow.getByRole('cell', { name: '3', exact: true }).waitFor();

    await page.getByRole('button', { name: 'Edit replica second' }).click();
    const edit = page.getByRole('dialog', { name: 'Replica second' });
    await edit.getByLabel(/^Weight/).fill('5');
    await edit.getByRole('button', { name: 'Save replica' }).click();
    await edit.waitFor({ state: 'detached' });
    await replicaRow.getByRole('cell', { name: '5', exact: true }).waitFor();

    const weight = page.getByLabel(/^Primary weight/);
    await weight.fill('0');
    await page.getByRole('button', { name: 'Save balancing' }).click();
    await waitFor(async () => (await describedBy(weight)).includes('must be between 1 and 1000'), 10_000, 'the weight error');
    await weight.fill('2');
    await page.getByRole('combobox', { name: 'Mode' }).click();
    await page.getByRole('option', { name: /^Least calls in flight/ }).click();
    await page.getByLabel('Retry any call on another replica').check();
    // A stdio server starts on one hub; this one is declared stateless.
    const placement = page.getByRole('combobox', { name: 'Connection placement' });
    await expect(placement.inputValue()).resolves.toBe('One hub, others forward (server keeps state)');
    await placement.click();
    await page.getByRole('option', { name: 'Every hub runs its own (stateless servers)' }).click();
    await page.getByRole('button', { name: 'Save balancing' }).click();
    await waitFor(
      async () => {
        const { server } = await admin.data<{ server: { loadBalancing: string; retryCalls: boolean; weight: number; connectionPlacement: string } }>(
          'query($id: ID!){ server(id: $id){ loadBalancing retryCalls weight connectionPlacement } }',
          { id: stdioId },
        );
        return server.loadBalancing === 'LEAST_IN_FLIGHT' && server.retryCalls && server.weight === 2 && server.connectionPlacement === 'EVERY_HUB';
      },
      10_000,
      'the balancing to be saved',
    );
    await page.reload();
    await page.getByRole('heading', { name: 'Load balancing' }).waitFor();
    await expect(page.getByRole('combobox', { name: 'Connection placement' }).inputValue()).resolves.toBe('Every hub runs its own (stateless servers)');

    await page.getByRole('button', { name: 'Remove replica second' }).click();
    await page.getByRole('dialog', { name: 'Remove replica second?' }).getByRole('button', { name: 'Remove replica' }).click();
    await replicaRow.waitFor({ state: 'detached' });

    // Health checks have run since the server was registered (in this process, embedded mode).
    await page.getByRole('tab', { name: 'Health history' }).click();
    await page.getByRole('heading', { name: 'Recent checks' }).waitFor({ timeout: 20_000 });
    await page.locator('.recharts-surface').first().waitFor();
    await page.getByRole('tab', { name: 'Overview' }).click();
    await page.getByRole('heading', { name: 'Runtime on this hub' }).waitFor();
    await page.getByRole('button', { name: 'Refresh runtime' }).click();
    await page.getByRole('row').filter({ hasText: 'primary' }).filter({ hasText: 'CLOSED' }).waitFor();
  });

  it('shows the protocol revision each replica speaks: 2026-07-28 for a server that discovers as stateless', async () => {
    modern = await startStatelessUpstream('modern');
    const { id } = await registerServer(admin, { name: 'Modern (2026)', slug: 'modern', transport: 'STREAMABLE_HTTP', url: modern.url });
    // The hub connects on first use; an agent's call would do the same.
    const pool = hub.app.get(UpstreamPool);
    await waitFor(() => pool.connection(id).then(() => true, () => false), 15_000, 'the hub to connect');
    await page.goto(`/servers/${id}`);
    await page.getByRole('heading', { name: 'Runtime on this hub' }).waitFor();
    await page.getByRole('columnheader', { name: 'Protocol' }).waitFor();
    await page.getByRole('row').filter({ hasText: 'primary' }).getByRole('cell', { name: '2026-07-28', exact: true }).waitFor();
  });

  it('shares the server with a team and stops sharing', async () => {
    await page.goto(`/servers/${stdioId}?tab=sharing`);
    await page.getByText('No team. Only its owner and admins see this server.').waitFor();
    await page.getByRole('combobox', { name: 'Team' }).click();
    await page.getByRole('option', { name: /^platform/ }).click();
    await page.getByRole('button', { name: 'Share', exact: true }).click();
    const shareRow = page.getByRole('row').filter({ hasText: 'platform' });
    await shareRow.getByRole('cell', { name: 'Viewer' }).waitFor();
    await shareRow.getByRole('button', { name: 'Stop sharing with platform' }).click();
    await page.getByText('No team. Only its owner and admins see this server.').waitFor();
  });

  it.each<Theme>(['light', 'dark'])('has no serious accessibility violations on the list, the form and the detail page (%s)', async (theme) => {
    await page.goto('/servers');
    await useTheme(page, theme);
    await page.locator('[data-health]').first().waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'servers', theme);

    await page.goto('/servers/new');
    await page.getByRole('heading', { name: 'Register a server' }).waitFor();
    await page.getByRole('button', { name: 'Add variable' }).click();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.evaluate(() => (globalThis as unknown as PageGlobal).scrollTo(0, 0));
    await screenshot(page, 'server-register', theme);
    await page.getByRole('radio', { name: /^Streamable HTTP/ }).check();
    await page.getByLabel(/^Name/).first().fill('Broken');
    await page.getByLabel(/^URL/).fill('not a url');
    await page.getByRole('button', { name: 'Register server' }).click();
    await page.getByText('must be an http:// or https:// URL').waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.evaluate(() => (globalThis as unknown as PageGlobal).scrollTo(0, 0));
    await screenshot(page, 'server-register-error', theme);

    for (const [tab, heading, name] of [
      ['overview', 'Runtime on this hub', 'server-detail'],
      ['settings', 'Environment variables', 'server-settings'],
      ['replicas', 'Load balancing', 'server-replicas'],
      ['health', 'Recent checks', 'server-health'],
      ['sharing', 'Share with a team', 'server-sharing'],
    ] as const) {
      await page.goto(`/servers/${stdioId}${tab === 'overview' ? '' : `?tab=${tab}`}`);
      await page.getByText(heading, { exact: true }).first().waitFor();
      expect(await seriousA11yViolations(page)).toEqual([]);
      await screenshot(page, name, theme);
    }
  });

  it('restarts a server, and removes it only once confirmed', async () => {
    await page.goto(`/servers/${httpId}`);
    await page.getByRole('heading', { name: 'Everything (http)', level: 1 }).waitFor();
    await tabTo(page, page.getByRole('button', { name: 'Restart' }));
    await page.keyboard.press('Enter');
    await page.getByText('Everything (http) restarted on this hub').waitFor();
    await tabTo(page, page.getByRole('button', { name: 'Remove' }));
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Remove Everything (http)?' });
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await admin.data('query($id: ID!){ server(id: $id){ id } }', { id: httpId });
    await page.getByRole('button', { name: 'Remove' }).click();
    await dialog.getByRole('button', { name: 'Remove server' }).click();
    await page.getByRole('heading', { name: 'Servers', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Everything (stdio)' }).waitFor();
    await expect(page.getByRole('link', { name: 'Everything (http)' }).count()).resolves.toBe(0);
    const gone = await admin.request('query($id: ID!){ server(id: $id){ id } }', { id: httpId });
    expect(gone.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});

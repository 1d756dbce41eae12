import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { ServerHealthService } from '#servers';
import { parseCsv } from '../../support/csv.js';
import { launchChromium, newDashboardContext, screenshot, SCREENSHOT_DIR, seriousA11yViolations, signIn, tabTo, useTheme, type Theme } from '../../support/dashboard.js';
import { databaseTargets } from '../../support/database-targets.js';
import { GraphQLClient } from '../../support/graphql-client.js';
import { DEAD_URL } from '../../support/health-flips.js';
import { createGroup, createKey, createPerson, MEMBER_PASSWORD, registerServer } from '../../support/hub-fixtures.js';
import { startHub, type RunningHub } from '../../support/hub-app.js';
import { connectStreamable } from '../../support/mcp-clients.js';
import { everythingStdio, startEverythingHttp, waitFor, type RunningUpstream } from '../../support/upstreams.js';

const ADMIN = { email: 'admin@example.com', password: 'admin-password-123' };
const MEMBER = { email: 'member@example.com', password: 'member-own-password-1' };
/** More than one page (50) of calls and of audit entries, so "Load more" has something to load. */
const ECHO_CALLS = 52;
const SERVER_UPDATES = 55;
const ENV_SECRET = 'observe-secret-value-93';

/** The value shown under a figure's label (the overview's figures are description lists). */
const figure = (page: Page, label: string): Locator => page.locator('dt', { hasText: new RegExp(`^${label}$`) }).locator('xpath=following-sibling::dd[1]');
/** Reads until the value is the one expected (the page updates on its own); fails showing the last value read. */
const poll = <T>(read: () => Promise<T>, timeoutMs = 15_000) => ({
  async toBe(expected: T): Promise<void> {
    let last: T | undefined;
    await waitFor(async () => (last = await read()) === expected, timeoutMs).catch(() => expect(last).toBe(expected));
  },
});
/** Body rows of the first table in `scope` (the header row has th cells only). */
const bodyRows = (scope: Locator | Page): Locator => scope.locator('tbody tr');

/**
 * The observe pages: the status overview at /, "My calls" and the audit log, driven like a person would, on a hub
 * with real upstreams (server-everything over stdio and over HTTP, and one that is never there) and real agent calls.
 */
describe('dashboard: status overview, my calls, audit log', () => {
  let hub: RunningHub;
  let admin: GraphQLClient;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let agent: Client;
  let flakyUpstream: RunningUpstream;
  let flakyStopped = false;
  const ids: Record<string, string> = {};

  const checkUntil = (serverId: string, status: 'HEALTHY' | 'DOWN') =>
    waitFor(async () => (await hub.app.get(ServerHealthService).check(serverId, serverId))?.status === status, 20_000, `server ${serverId} ${status}`);

  beforeAll(async () => {
    flakyUpstream = await startEverythingHttp('streamableHttp');
    hub = await startHub(databaseTargets[0]);
    admin = new GraphQLClient(hub.url);
    await admin.login(ADMIN.email, ADMIN.password);

    ids.everything = (await registerServer(admin, { name: 'Everything', slug: 'everything', transport: 'STDIO', ...everythingStdio(), env: [{ name: 'API_TOKEN', value: ENV_SECRET }] })).id;
    ids.flaky = (await registerServer(admin, { name: 'Flaky', slug: 'flaky', transport: 'STREAMABLE_HTTP', url: flakyUpstream.url })).id;
    ids.broken = (await registerServer(admin, { name: 'Broken', slug: 'broken', transport: 'STREAMABLE_HTTP', url: DEAD_URL })).id;
    ids.group = (await createGroup(admin, 'observe', [ids.everything])).id;
    const key = await createKey(admin, { name: 'observe-agent' });
    ids.key = key.id;
    for (let i = 0; i < SERVER_UPDATES; i++) {
      await admin.data('mutation($id: ID!, $d: String!){ updateServer(id: $id, input: { description: $d }){ id } }', { id: ids.broken, d: `attempt ${i}` });
    }
    const member = await createPerson(admin, hub.url, MEMBER.email);
    ids.member = member.userId;
    await member.data('mutation($c: String!, $n: String!){ changePassword(currentPassword: $c, newPassword: $n) }', { c: MEMBER_PASSWORD, n: MEMBER.password });

    await checkUntil(ids.everything, 'HEALTHY');
    await checkUntil(ids.flaky, 'HEALTHY');
    await checkUntil(ids.broken, 'DOWN');

    agent = await connectStreamable(hub.url, 'observe', key.secret);
    for (let i = 0; i < ECHO_CALLS; i++) await agent.callTool({ name: 'everything__echo', arguments: { message: `hello ${i}` } });
    const failed = await agent.callTool({ name: 'everything__get-sum', arguments: { a: 'not a number', b: 1 } });
    expect(failed.isError).toBe(true);
    await expect(agent.callTool({ name: 'everything__no-such-tool', arguments: {} })).rejects.toThrow(/Unknown tool/);
    // One call while a DEBUG capture is on: its arguments and result are kept.
    await admin.data('mutation($id: ID!){ enableCallCapture(target: KEY, id: $id, minutes: 5){ expiresAt } }', { id: ids.key });
    await agent.callTool({ name: 'everything__echo', arguments: { message: 'captured hello' } });

    browser = await launchChromium();
    context = await newDashboardContext(browser, hub.url);
    page = await context.newPage();
    await signIn(page, ADMIN.email, ADMIN.password);
  }, 180_000);

  afterAll(async () => {
    await agent?.close().catch(() => undefined);
    await browser?.close();
    await hub?.close();
    // A killed process's exit code stays null: stop() would wait for an exit that already happened.
    if (!flakyStopped) await flakyUpstream?.stop();
  });

  describe('status overview', () => {
    it('is the page at / and first in the navigation', async () => {
      await page.goto('/');
      await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
      await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link').first().textContent()).resolves.toBe('Overview');
      expect(await page.title()).toBe('Overview · MCP Hub');
    });

    it('shows the servers by health, each server that is not up linked to its page', async () => {
      await page.goto('/');
      await poll(() => figure(page, 'Up').textContent()).toBe('2');
      await expect(figure(page, 'Down').textContent()).resolves.toBe('1');
      await expect(figure(page, 'Degraded').textContent()).resolves.toBe('0');
      await expect(figure(page, 'Unknown').textContent()).resolves.toBe('0');
      const broken = page.getByRole('row', { name: /Broken/ });
      await expect(broken.getByRole('link', { name: 'Broken' }).getAttribute('href')).resolves.toBe(`/servers/${ids.broken}`);
      await expect(broken.textContent()).resolves.toMatch(/Down/);
    });

    it('turns a server DOWN without a reload when its upstream goes away (serverStatusChanged)', async () => {
      await page.goto('/');
      await poll(() => figure(page, 'Up').textContent()).toBe('2');
      await flakyUpstream.stop();
      flakyStopped = true;
      await checkUntil(ids.flaky, 'DOWN');
      await page.getByRole('row', { name: /Flaky/ }).getByRole('link', { name: 'Flaky' }).waitFor();
      await expect(figure(page, 'Up').textContent()).resolves.toBe('1');
      await expect(figure(page, 'Down').textContent()).resolves.toBe('2');
      await expect(page.getByRole('row', { name: /Flaky/ }).getByRole('link', { name: 'Flaky' }).getAttribute('href')).resolves.toBe(`/servers/${ids.flaky}`);
    });

    it('shows the calls of the last hour, the errors with their rate, the top tools and the recent failures', async () => {
      const total = ECHO_CALLS + 3;
      await page.goto('/');
      await poll(() => figure(page, 'Calls in the last hour').textContent()).toBe(String(total));
      const errors = figure(page, 'Errors in the last hour');
      await expect(errors.first().textContent()).resolves.toBe('2');
      await expect(page.getByText(`${((2 / total) * 100).toFixed(1)}% of calls`).count()).resolves.toBe(1);
      await expect(page.getByText(new RegExp(`^${total} calls in the last hour; the busiest minute`)).count()).resolves.toBe(1);
      await expect(page.getByRole('img', { name: /Bar chart of calls per minute/ }).locator('svg').first().isVisible()).resolves.toBe(true);

      const topTools = page.getByRole('table').filter({ has: page.getByRole('columnheader', { name: 'p95 latency' }) });
      const first = bodyRows(topTools).first();
      await expect(first.getByRole('link').textContent()).resolves.toBe('everything__echo');
      await expect(first.getByRole('cell').nth(1).textContent()).resolves.toBe(String(ECHO_CALLS + 1));
      await expect(first.getByRole('link').getAttribute('href')).resolves.toBe('/calls?tool=everything__echo');

      const failures = page.getByRole('table').filter({ has: page.getByRole('columnheader', { name: 'Call and error' }) });
      await expect(bodyRows(failures).count()).resolves.toBe(2);
      await expect(bodyRows(failures).nth(0).textContent()).resolves.toMatch(/everything__no-such-tool.*Unknown tool.*Not found/);
      await expect(bodyRows(failures).nth(1).textContent()).resolves.toMatch(/everything__get-sum.*Input validation error.*Tool error/);
      await expect(bodyRows(failures).nth(1).getByRole('link').getAttribute('href')).resolves.toBe('/calls?outcome=TOOL_ERROR&tool=everything__get-sum');
    });

    it('leads from the errors to the failed calls', async () => {
      await page.goto('/');
      await page.getByRole('link', { name: 'See the failed calls' }).click();
      await page.getByRole('heading', { name: 'My calls', level: 1 }).waitFor();
      expect(new URL(page.url()).search).toBe('?outcome=failed');
      await poll(() => bodyRows(page.getByRole('table')).count()).toBe(2);
    });
  });

  describe('my calls', () => {
    const callRows = () => bodyRows(page.getByRole('table').first());

    it("lists the calls newest first, says that an admin sees everyone's, and loads more with the cursor", async () => {
      await page.goto('/calls');
      await page.getByText("As an admin, you see everyone's calls").waitFor();
      await poll(() => callRows().count()).toBe(50);
      await expect(callRows().first().textContent()).resolves.toMatch(/everything__echo.*OK/);
      await page.getByRole('button', { name: 'Load more' }).click();
      await poll(() => callRows().count()).toBe(ECHO_CALLS + 3);
      await expect(page.getByRole('button', { name: 'Load more' }).count()).resolves.toBe(0);
      await expect(callRows().last().textContent()).resolves.toMatch(/everything__echo/);
    });

    it('narrows the list to the failures, then to one tool, with filters kept in the address', async () => {
      await page.goto('/calls');
      await poll(() => callRows().count()).toBe(50);
      await page.getByRole('combobox', { name: 'Outcome' }).click();
      await page.getByRole('option', { name: 'Any failure' }).click();
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await poll(() => callRows().count()).toBe(2);
      expect(new URL(page.url()).searchParams.get('outcome')).toBe('failed');
      await page.getByRole('button', { name: 'Clear filters' }).click();
      await poll(() => callRows().count()).toBe(50);
      await page.getByLabel('Tool or resource').fill('everything__get-sum');
      await page.getByLabel('Tool or resource').press('Enter');
      await poll(() => callRows().count()).toBe(1);
      await expect(callRows().first().textContent()).resolves.toMatch(/everything__get-sum.*Tool error/);
      await page.reload();
      await poll(() => callRows().count()).toBe(1);
      await expect(page.getByLabel('Tool or resource').inputValue()).resolves.toBe('everything__get-sum');
    });

    it("shows the API's message under the field it names", async () => {
      await page.goto('/calls?from=2026-03-02T10:00:00.000Z&to=2026-03-01T10:00:00.000Z');
      await page.getByText('must be after from').first().waitFor();
      await expect(page.getByLabel('To', { exact: true }).getAttribute('aria-invalid')).resolves.toBe('true');
    });

    it("opens a call's details: request id, latency, error, and the arguments and result a DEBUG capture kept", async () => {
      await page.goto('/calls?outcome=TOOL_ERROR');
      await poll(() => callRows().count()).toBe(1);
      await callRows().first().getByRole('button', { name: /^Details of everything__get-sum/ }).click();
      const drawer = page.getByRole('dialog', { name: 'Call details' });
      await drawer.waitFor();
      await expect(drawer.getByRole('row', { name: /Request id/ }).textContent()).resolves.toMatch(/Request id\S+/);
      await expect(drawer.getByRole('row', { name: /Latency/ }).textContent()).resolves.toMatch(/Latency\d+\.\d ms/);
      await expect(drawer.textContent()).resolves.toMatch(/Error.*(invalid|validation)/i);
      await drawer.getByText('Arguments and result were not recorded').waitFor();
      await page.keyboard.press('Escape');
      await drawer.waitFor({ state: 'hidden' });

      await page.goto('/calls');
      await poll(() => callRows().count()).toBe(50);
      await callRows().first().getByRole('button', { name: /^Details of everything__echo/ }).click();
      await expect(drawer.getByRole('region', { name: 'Arguments (JSON)' }).textContent()).resolves.toContain('"message": "captured hello"');
      await expect(drawer.getByRole('region', { name: 'Result (JSON)' }).textContent()).resolves.toContain('captured hello');
      await page.keyboard.press('Escape');
    });

    it('downloads the filtered calls as CSV', async () => {
      await page.goto('/calls?outcome=failed');
      await poll(() => callRows().count()).toBe(2);
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
      expect(download.suggestedFilename()).toBe('call-log.csv');
      const [header, ...rows] = parseCsv((await readFile((await download.path())!, 'utf8')).trim());
      expect(rows).toHaveLength(2);
      expect(rows.map((r) => r[header.indexOf('name')])).toEqual(['everything__no-such-tool', 'everything__get-sum']);
      expect(rows.map((r) => r[header.indexOf('outcome')])).toEqual(['NOT_FOUND', 'TOOL_ERROR']);
    });
  });

  describe('audit log', () => {
    const auditRows = () => bodyRows(page.getByRole('table').first()).filter({ has: page.getByRole('button', { name: /details of/ }) });

    it('lists the setup mutations newest first and loads more with the cursor', async () => {
      await page.goto('/audit');
      await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
      await poll(() => auditRows().count()).toBe(50);
      await page.getByRole('button', { name: 'Load more' }).click();
      await poll(async () => (await auditRows().allTextContents()).some((t) => /registerServer/.test(t))).toBe(true);
      const actions = (await auditRows().allTextContents()).join('\n');
      for (const action of ['registerServer', 'createGroup', 'addServerToGroup', 'createApiKey', 'createUser', 'changePassword', 'login']) expect(actions).toContain(action);
    });

    it('narrows the log by action and by actor', async () => {
      await page.goto('/audit');
      await poll(() => auditRows().count()).toBe(50);
      await page.getByLabel('Action', { exact: true }).fill('createApiKey');
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await poll(() => auditRows().count()).toBe(1);
      await expect(auditRows().first().textContent()).resolves.toMatch(/admin@example\.com.*createApiKey.*ApiKey.*Success/);
      await page.getByRole('button', { name: 'Clear filters' }).click();
      await poll(() => auditRows().count()).toBe(50);
      await page.getByRole('combobox', { name: 'Actor' }).click();
      await page.getByRole('option', { name: MEMBER.email }).click();
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await poll(async () => {
        const rows = await auditRows().allTextContents();
        return rows.length > 0 && rows.every((text) => text.includes(MEMBER.email));
      }).toBe(true);
      expect(new URL(page.url()).searchParams.get('actorId')).toBe(ids.member);
      await expect(auditRows().allTextContents()).resolves.toEqual([expect.stringMatching(/changePassword/), expect.stringMatching(/login/)]);
    });

    it('expands an entry to its changed fields, with secrets by name only', async () => {
      await page.goto('/audit?action=registerServer&targetId=' + ids.everything);
      await poll(() => auditRows().count()).toBe(1);
      const toggle = page.getByRole('button', { name: /^Show details of registerServer/ });
      await expect(toggle.getAttribute('aria-expanded')).resolves.toBe('false');
      await toggle.click();
      await expect(page.getByRole('button', { name: /^Hide details of registerServer/ }).getAttribute('aria-expanded')).resolves.toBe('true');
      const fields = page.getByRole('table').filter({ has: page.getByRole('columnheader', { name: 'Before' }) });
      await expect(fields.getByRole('row', { name: /^slug/ }).textContent()).resolves.toBe('slug—everything');
      await expect(fields.getByRole('row', { name: /^env/ }).textContent()).resolves.toMatch(/secret changed.*Entries that changed: API_TOKEN/);
      expect(await page.content()).not.toContain(ENV_SECRET);
    });

    it('downloads the filtered log as CSV', async () => {
      await page.goto('/audit?action=updateServer');
      await poll(() => auditRows().count()).toBe(50);
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
      expect(download.suggestedFilename()).toBe('audit-log.csv');
      const [header, ...rows] = parseCsv((await readFile((await download.path())!, 'utf8')).trim());
      expect(rows).toHaveLength(SERVER_UPDATES);
      expect(new Set(rows.map((r) => r[header.indexOf('action')]))).toEqual(new Set(['updateServer']));
      expect(new Set(rows.map((r) => r[header.indexOf('target_id')]))).toEqual(new Set([ids.broken]));
    });
  });

  describe('as a member', () => {
    let memberPage: Page;

    beforeAll(async () => {
      memberPage = await (await newDashboardContext(browser, hub.url)).newPage();
      await signIn(memberPage, MEMBER.email, MEMBER.password);
    });

    it('has no audit log in the navigation, and gets the API\'s refusal at /audit', async () => {
      const nav = memberPage.getByRole('navigation', { name: 'Main' });
      await nav.getByRole('link', { name: 'My calls' }).waitFor();
      await expect(nav.getByRole('link', { name: 'Audit log' }).count()).resolves.toBe(0);
      await memberPage.goto('/audit');
      await expect(memberPage.getByRole('alert').textContent()).resolves.toMatch(/audit\.read requires role ADMIN or AUDITOR/);
      await expect(memberPage.getByRole('button', { name: 'Export CSV' }).count()).resolves.toBe(0);
    });

    it('sees only their own calls and servers', async () => {
      await memberPage.goto('/calls');
      await memberPage.getByText('No calls yet.', { exact: false }).waitFor();
      await expect(memberPage.getByText("you see everyone's calls").count()).resolves.toBe(0);
      await memberPage.goto('/');
      await memberPage.getByText('No servers yet.', { exact: false }).waitFor();
      await poll(() => figure(memberPage, 'Calls in the last hour').textContent()).toBe('0');
    });
  });

  describe('accessibility and keyboard', () => {
    it.each<Theme>(['light', 'dark'])('has no serious accessibility violations on the three pages (%s)', async (theme) => {
      await page.goto('/');
      await useTheme(page, theme);
      await poll(() => figure(page, 'Calls in the last hour').textContent()).toBe(String(ECHO_CALLS + 3));
      await page.getByRole('img', { name: /Bar chart/ }).locator('svg').first().waitFor();
      expect(await seriousA11yViolations(page)).toEqual([]);
      await screenshot(page, 'overview', theme);

      await page.goto('/calls');
      await poll(() => bodyRows(page.getByRole('table').first()).count()).toBe(50);
      expect(await seriousA11yViolations(page)).toEqual([]);
      await screenshot(page, 'calls', theme);
      await page.getByRole('button', { name: /^Details of everything__echo/ }).first().click();
      await page.getByRole('region', { name: 'Arguments (JSON)' }).waitFor();
      expect(await seriousA11yViolations(page)).toEqual([]);
      // The drawer covers the window, not the whole page: a picture of the window shows it.
      await page.screenshot({ path: join(SCREENSHOT_DIR, `call-details-${theme}.png`) });
      await page.keyboard.press('Escape');

      await page.goto(`/audit?targetId=${ids.everything}`);
      await page.getByRole('button', { name: /^Show details of registerServer/ }).click();
      await page.getByRole('columnheader', { name: 'Before' }).first().waitFor();
      expect(await seriousA11yViolations(page)).toEqual([]);
      await screenshot(page, 'audit', theme);
    });

    it('works by keyboard: filters, details, load more and export on each page', async () => {
      await page.goto('/calls');
      await poll(() => bodyRows(page.getByRole('table').first()).count()).toBe(50);
      await tabTo(page, page.getByLabel('Tool or resource'));
      await page.keyboard.type('everything__get-sum');
      await tabTo(page, page.getByRole('button', { name: 'Apply filters' }));
      await page.keyboard.press('Enter');
      await poll(() => bodyRows(page.getByRole('table').first()).count()).toBe(1);
      await tabTo(page, page.getByRole('button', { name: /^Details of everything__get-sum/ }));
      await page.keyboard.press('Enter');
      await page.getByRole('dialog', { name: 'Call details' }).waitFor();
      await page.keyboard.press('Escape');
      await page.getByRole('dialog', { name: 'Call details' }).waitFor({ state: 'hidden' });
      await page.goto('/calls');
      await poll(() => bodyRows(page.getByRole('table').first()).count()).toBe(50);
      await tabTo(page, page.getByRole('button', { name: 'Export CSV' }));
      await tabTo(page, page.getByRole('button', { name: 'Load more' }), 400);
      await page.keyboard.press('Enter');
      await poll(() => bodyRows(page.getByRole('table').first()).count()).toBe(ECHO_CALLS + 3);

      await page.goto(`/audit?targetId=${ids.everything}`);
      const toggle = page.getByRole('button', { name: /^Show details of registerServer/ });
      await tabTo(page, toggle);
      await page.keyboard.press('Space');
      await page.getByRole('columnheader', { name: 'Before' }).first().waitFor();
      await tabTo(page, page.getByRole('button', { name: 'Export CSV' }));

      await page.goto('/');
      await poll(() => figure(page, 'Calls in the last hour').textContent()).toBe(String(ECHO_CALLS + 3));
      await tabTo(page, page.getByRole('button', { name: 'Refresh' }));
      await tabTo(page, page.getByRole('link', { name: 'Broken' }));
      await page.keyboard.press('Enter');
      await page.waitForURL(`**/servers/${ids.broken}`);
    });
  });
});

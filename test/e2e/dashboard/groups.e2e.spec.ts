import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { databaseTargets } from '../../support/database-targets.js';
import { focused, launchChromium, newDashboardContext, screenshot, seriousA11yViolations, signIn, tabTo, useTheme, type Theme } from '../../support/dashboard.js';
import { GraphQLClient } from '../../support/graphql-client.js';
import { startHub, type RunningHub } from '../../support/hub-app.js';
import { createGroup, createKey, createTeam, registerServer } from '../../support/hub-fixtures.js';
import { connectStreamable } from '../../support/mcp-clients.js';
import { everythingStdio, memoryStdio } from '../../support/upstreams.js';

const ADMIN = { email: 'admin@example.com', password: 'admin-password-123' };
const GROUP = { name: 'Agents team', slug: 'agents' };
const ALLOWED = ['everything__echo', 'everything__get-sum'];

const toolNames = async (hubUrl: string, slug: string, secret: string) => {
  const agent = await connectStreamable(hubUrl, slug, secret);
  try {
    return (await agent.listTools()).tools.map((t) => t.name).sort();
  } finally {
    await agent.close();
  }
};

/** The clipboard as the page sees it (the context may read it: see newDashboardContext). */
const clipboard = (page: Page) => page.evaluate('navigator.clipboard.readText()') as Promise<string>;

/** Picks an option of a Mantine Select by its label, as a person would: open, then click the option. */
async function choose(page: Page, label: string | RegExp, option: string | RegExp) {
  await page.getByRole('combobox', { name: label }).click();
  await page.getByRole('option', { name: option }).click();
}

/**
 * The groups pages as a person uses them: create a group, add server-everything, filter its tools by checkboxes,
 * copy a client snippet, write a routing rule and try it, roll back. What the UI did is checked through the API and
 * a real MCP SDK client with a key made through the API.
 */
describe('dashboard: groups, tool filter, snippets, routing rules, revisions', () => {
  let hub: RunningHub;
  let api: GraphQLClient;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let secret: string;

  const group = async () =>
    (
      await api.data<{ group: { id: string; toolFilterMode: string; toolFilter: string[]; servers: { slug: string }[] } }>(
        'query($s: String!){ group(slug: $s){ id toolFilterMode toolFilter servers { slug } } }',
        { s: GROUP.slug },
      )
    ).group;
  const openTab = async (name: string) => {
    await page.getByRole('tab', { name }).click();
    await page.getByRole('tab', { name, selected: true }).waitFor();
  };

  beforeAll(async () => {
    hub = await startHub(databaseTargets[0]);
    api = new GraphQLClient(hub.url);
    await api.login(ADMIN.email, ADMIN.password);
    await registerServer(api, { name: 'Everything', slug: 'everything', transport: 'STDIO', ...everythingStdio() });
    ({ secret } = await createKey(api, { name: 'agent key' }));
    browser = await launchChromium();
    context = await newDashboardContext(browser, hub.url);
    page = await context.newPage();
    await signIn(page, ADMIN.email, ADMIN.password, '/groups');
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.close();
  });

  it('creates a group from the groups page and opens it', async () => {
    await page.getByRole('link', { name: 'Groups' }).click();
    await page.getByRole('heading', { name: 'Groups', level: 1 }).waitFor();
    await page.getByText('No groups yet').waitFor();
    await page.getByRole('button', { name: 'New group' }).click();
    await page.getByLabel(/^Name/).fill(GROUP.name);
    await page.getByLabel(/^Slug/).fill(GROUP.slug);
    await page.getByLabel(/^Description/).fill('Tools for the support agents');
    // The pages below use the names agents saw before naming modes: <server>__<tool>.
    await choose(page, /^Tool names/, 'Always prefix');
    await page.getByRole('button', { name: 'Create group' }).click();
    await page.getByRole('heading', { name: GROUP.name, level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/groups/${GROUP.slug}`);
    expect((await group()).servers).toEqual([]);
    expect((await api.data<{ group: { toolNaming: string } }>('query($s: String!){ group(slug: $s){ toolNaming } }', { s: GROUP.slug })).group.toolNaming).toBe(
      'PREFIX_ALWAYS',
    );
  });

  it('adds server-everything and discovers its tools', async () => {
    await page.getByText('No servers yet').waitFor();
    await choose(page, /^Server/, /^Everything/);
    await page.getByRole('button', { name: 'Add to group' }).click();
    await page.getByRole('row', { name: /Everything/ }).waitFor();
    expect((await group()).servers).toEqual([{ slug: 'everything' }]);
    await page.getByRole('button', { name: 'Discover tools of Everything' }).click();
    await page.getByRole('row', { name: /Everything/ }).getByText(/^\d+ tools/).waitFor({ timeout: 30_000 });
  });

  it('sets a tool filter by checking boxes, and an agent sees exactly the checked tools', async () => {
    await openTab('Tool filter');
    // Every tool the server offers is a checkbox, named as agents call it.
    expect(await page.getByRole('checkbox').count()).toBe((await toolNames(hub.url, GROUP.slug, secret)).length);
    await page.getByRole('radio', { name: 'Only checked tools' }).check();
    for (const name of ALLOWED) await page.getByRole('checkbox', { name }).check();
    await page.getByText(`Agents see ${ALLOWED.length} of`).waitFor();
    await page.getByRole('button', { name: 'Save tool filter' }).click();
    await page.getByText('Tool filter saved').waitFor();
    const saved = await group();
    expect(saved.toolFilterMode).toBe('ALLOW');
    expect([...saved.toolFilter].sort()).toEqual(ALLOWED);
    expect(await toolNames(hub.url, GROUP.slug, secret)).toEqual(ALLOWED);
  });

  it('copies the Cursor snippet, which names the group URL and works with a real key', async () => {
    await openTab('Connect');
    await page.getByRole('button', { name: 'Copy the Streamable HTTP URL' }).click();
    expect(await clipboard(page)).toBe(`${hub.url}/mcp/${GROUP.slug}`);
    await page.getByRole('button', { name: 'Copy the Cursor snippet' }).click();
    const snippet = JSON.parse(await clipboard(page)) as { mcpServers: Record<string, { url: string; headers: { Authorization: string } }> };
    const entry = snippet.mcpServers[GROUP.slug];
    expect(entry.url).toBe(`${hub.url}/mcp/${GROUP.slug}`);
    // The snippet with the key filled in is all an agent needs.
    const url = new URL(entry.url);
    expect(await toolNames(url.origin, url.pathname.split('/').pop()!, entry.headers.Authorization.replace('Bearer <YOUR_API_KEY>', secret))).toEqual(ALLOWED);
  });

  it("shows each client's snippet exactly as the API writes it, placeholder included, with its documentation link", async () => {
    const { group: written } = await api.data<{ group: { clientConfigs: { client: string; label: string; text: string; docsUrl: string }[] } }>(
      'query($s: String!){ group(slug: $s){ clientConfigs { client label text docsUrl } } }',
      { s: GROUP.slug },
    );
    expect(written.clientConfigs).toHaveLength(5);
    for (const config of written.clientConfigs) {
      await page.getByRole('tab', { name: config.label }).click();
      await expect(page.locator(`[data-snippet="${config.client}"]`).textContent()).resolves.toBe(config.text);
      await expect(page.getByRole('link', { name: `${config.label} documentation` }).getAttribute('href')).resolves.toBe(config.docsUrl);
    }
    await page.getByRole('tab', { name: 'Cursor' }).click();
  });

  it('creates a routing rule, explains a call with the try-it panel, and the gateway applies it', async () => {
    await openTab('Routing rules');
    await page.getByText('No routing rules').waitFor();
    await page.getByRole('button', { name: 'New rule' }).click();
    const dialog = page.getByRole('dialog', { name: 'New routing rule' });
    await dialog.getByLabel(/^Name/).fill('No echo');
    await dialog.getByLabel(/^Tool name glob/).fill('everything__echo');
    await choose(page, /^Action/, 'Deny the call');
    await dialog.getByLabel(/^Message/).fill('Echo is switched off for this team');
    await dialog.getByRole('button', { name: 'Create rule' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('row', { name: /No echo/ }).waitFor();

    await page.getByRole('combobox', { name: /^Tool name/ }).fill('everything__echo');
    await page.getByLabel(/^Arguments/).fill('{"message": "hello"}');
    await page.getByRole('button', { name: 'Explain route' }).click();
    const explanation = page.getByTestId('route-explanation');
    await explanation.getByText('Matches rule No echo').waitFor();
    expect(await explanation.textContent()).toContain('denies the call: Echo is switched off for this team');

    await page.getByRole('combobox', { name: /^Tool name/ }).fill('everything__get-sum');
    await page.getByRole('button', { name: 'Explain route' }).click();
    await explanation.getByText('No rule matches').waitFor();
    expect(await explanation.textContent()).toContain("routed by namespace to server 'everything'");

    const agent = await connectStreamable(hub.url, GROUP.slug, secret);
    try {
      const denied = await agent.callTool({ name: 'everything__echo', arguments: { message: 'hello' } }).catch((error: Error) => error.message);
      expect(JSON.stringify(denied)).toContain('Echo is switched off for this team');
    } finally {
      await agent.close();
    }
  });

  it('shows a revision diff and rolls back to the revision before the filter, as the API then reports', async () => {
    await openTab('Revisions');
    await page.getByRole('row', { name: /createRoutingRule No echo/ }).waitFor();
    await page.getByRole('button', { name: 'Changes in revision 4' }).click();
    await page.getByText('Changes from revision 3 to 4').waitFor();
    expect(await page.locator('[data-diff="added"]').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining('No echo'), expect.stringContaining('deny: “Echo is switched off for this team”')]),
    );
    await page.getByRole('button', { name: 'Roll back to revision 2' }).click();
    const dialog = page.getByRole('dialog', { name: /Roll back Agents team to revision 2/ });
    // The confirmation shows what will change.
    await dialog.getByText(/offer everything__echo/).first().waitFor();
    await dialog.getByRole('button', { name: 'Roll back to revision 2' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('row', { name: /rollbackGroup to 2/ }).waitFor();

    const after = await group();
    expect(after.toolFilterMode).toBe('NONE');
    expect(after.servers).toEqual([{ slug: 'everything' }]);
    const { routingRules } = await api.data<{ routingRules: unknown[] }>('query($g: ID!){ routingRules(groupId: $g){ id } }', { g: after.id });
    expect(routingRules).toEqual([]);
    expect((await toolNames(hub.url, GROUP.slug, secret)).length).toBeGreaterThan(ALLOWED.length);
  });

  it('puts the servers in another order with the arrow buttons', async () => {
    const memory = await registerServer(api, { name: 'Memory', slug: 'memory', transport: 'STDIO', ...memoryStdio() });
    await api.data('mutation($g: ID!, $s: ID!){ addServerToGroup(groupId: $g, serverId: $s){ id } }', { g: (await group()).id, s: memory.id });
    await page.goto(`/groups/${GROUP.slug}`);
    await page.getByRole('row', { name: /Memory/ }).waitFor();
    await expect(page.getByRole('button', { name: 'Move Everything up' }).isDisabled()).resolves.toBe(true);
    await page.getByRole('button', { name: 'Move Memory up' }).click();
    await page.getByText('Memory moved up').waitFor();
    expect((await group()).servers).toEqual([{ slug: 'memory' }, { slug: 'everything' }]);
    await page.getByRole('row', { name: /^1 Memory/ }).waitFor();
    // Back as it was, for the pages below.
    await page.getByRole('button', { name: 'Move Memory down' }).click();
    await page.getByText('Memory moved down').waitFor();
    expect((await group()).servers).toEqual([{ slug: 'everything' }, { slug: 'memory' }]);
  });

  it('shares the group with a team and takes the access back', async () => {
    const team = await createTeam(api, 'support');
    const shares = async () =>
      (await api.data<{ group: { shares: { teamId: string; level: string }[] } }>('query($s: String!){ group(slug: $s){ shares { teamId level } } }', { s: GROUP.slug }))
        .group.shares;
    await page.goto(`/groups/${GROUP.slug}?tab=sharing`);
    await page.getByText('Not shared with any team').waitFor();
    await choose(page, /^Team/, /^support/);
    await choose(page, /^Access/, /^Editor/);
    await page.getByRole('button', { name: 'Share', exact: true }).click();
    await page.getByRole('row', { name: /support/ }).waitFor();
    expect(await shares()).toEqual([{ teamId: team.id, level: 'EDITOR' }]);
    await page.getByRole('button', { name: 'Stop sharing with support' }).click();
    await page.getByText('Not shared with any team').waitFor();
    expect(await shares()).toEqual([]);
  });

  it('switches the tool naming mode and shows the names two servers share', async () => {
    const twin = await registerServer(api, { name: 'Everything twin', slug: 'twin', transport: 'STDIO', ...everythingStdio() });
    const shared = await createGroup(api, 'shared-names', [], 'PREFIX_WHEN_NEEDED');
    const everythingId = (await api.data<{ servers: { id: string; slug: string }[] }>('{ servers(first: 100){ id slug } }')).servers.find((x) => x.slug === 'everything')!.id;
    for (const id of [everythingId, twin.id]) {
      await api.data('mutation($g: ID!, $s: ID!){ addServerToGroup(groupId: $g, serverId: $s){ id } }', { g: shared.id, s: id });
      await api.data('mutation($id: ID!){ testServer(id: $id){ ok } }', { id });
    }
    await page.goto('/groups/shared-names?tab=naming');
    await page.getByRole('radio', { name: /Prefix only when needed/, checked: true }).waitFor();
    const echoRow = page.getByRole('row', { name: /Tool echo/ });
    await echoRow.getByText('Each prefixed').waitFor();
    expect(await echoRow.textContent()).toContain('twin: twin__echo');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'group-naming-collisions', 'light');

    await page.getByRole('radio', { name: /Never prefix/ }).check();
    await page.getByRole('button', { name: 'Save tool names' }).click();
    await page.getByText(/Tool names saved/).waitFor();
    await echoRow.getByText('First server serves').waitFor();
    expect(await echoRow.textContent()).toContain('twin: hidden');
    const names = await toolNames(hub.url, 'shared-names', secret);
    expect(names.filter((n) => n === 'echo')).toHaveLength(1);
    expect(names.some((n) => n.includes('__'))).toBe(false);
  });

  it.each<Theme>(['light', 'dark'])('has no serious accessibility violations on the groups pages, each looked at (%s)', async (theme) => {
    await page.goto('/groups');
    await useTheme(page, theme);
    await page.getByRole('link', { name: GROUP.name }).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'groups', theme);

    const tabs: [string, string, () => Promise<void>][] = [
      ['members', 'Servers', () => page.getByRole('row', { name: /Everything/ }).waitFor()],
      ['naming', 'Tool names', () => page.getByRole('radio', { name: /Always prefix/, checked: true }).waitFor()],
      ['tools', 'Tool filter', () => page.getByRole('checkbox', { name: 'everything__echo' }).waitFor()],
      ['connect', 'Connect', () => page.getByRole('tab', { name: 'Cursor' }).waitFor()],
      ['rules', 'Routing rules', () => page.getByRole('button', { name: 'Explain route' }).waitFor()],
      ['revisions', 'Revisions', () => page.getByRole('row', { name: /rollbackGroup to 2/ }).waitFor()],
      ['sharing', 'Sharing', () => page.getByRole('heading', { name: 'Share with a team' }).waitFor()],
    ];
    for (const [value, label, ready] of tabs) {
      await page.goto(`/groups/${GROUP.slug}${value === 'members' ? '' : `?tab=${value}`}`);
      await page.getByRole('tab', { name: label, selected: true }).waitFor();
      await ready();
      if (value === 'revisions') await page.getByRole('button', { name: 'Changes in revision 5' }).click();
      if (value === 'rules') {
        await page.getByRole('combobox', { name: /^Tool name/ }).fill('everything__echo');
        await page.getByRole('button', { name: 'Explain route' }).click();
        await page.getByTestId('route-explanation').waitFor();
      }
      expect({ tab: value, violations: await seriousA11yViolations(page) }).toEqual({ tab: value, violations: [] });
      await screenshot(page, `group-${value}`, theme);
    }

    await page.goto(`/groups/${GROUP.slug}?tab=rules`);
    await page.getByRole('button', { name: 'New rule' }).click();
    await page.getByRole('dialog', { name: 'New routing rule' }).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'group-rule-form', theme);
  });

  it('works by keyboard: create a group, pick tools, copy a snippet', async () => {
    await page.goto('/groups');
    await page.getByRole('link', { name: GROUP.name }).waitFor();
    await tabTo(page, page.getByRole('button', { name: 'New group' }));
    await page.keyboard.press('Enter');
    await focused(page, page.getByLabel(/^Name/));
    await page.keyboard.type('Keyboard group');
    await tabTo(page, page.getByRole('button', { name: 'Create group' }));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Keyboard group', level: 1 }).waitFor();

    // Tabs: focus the selected tab, then arrow keys move between them.
    await tabTo(page, page.getByRole('tab', { name: 'Servers' }));
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
    await page.getByRole('tab', { name: 'Connect', selected: true }).waitFor();
    await tabTo(page, page.getByRole('button', { name: 'Copy the Cursor snippet' }));
    await page.keyboard.press('Enter');
    expect(await clipboard(page)).toContain('/mcp/keyboard-group');

    await page.goto(`/groups/${GROUP.slug}?tab=tools`);
    await tabTo(page, page.getByRole('radio', { name: 'All tools' }));
    await page.keyboard.press('ArrowRight');
    await page.getByRole('radio', { name: 'Only checked tools', checked: true }).waitFor();
    await tabTo(page, page.getByRole('checkbox', { name: 'everything__echo' }));
    await page.keyboard.press('Space');
    await tabTo(page, page.getByRole('button', { name: 'Save tool filter' }));
    await page.keyboard.press('Enter');
    await page.getByText('Tool filter saved').waitFor();
    expect(await toolNames(hub.url, GROUP.slug, secret)).toEqual(['everything__echo']);

    await page.goto(`/groups/${GROUP.slug}?tab=revisions`);
    await tabTo(page, page.getByRole('button', { name: 'Roll back to revision 5' }));
  });
});

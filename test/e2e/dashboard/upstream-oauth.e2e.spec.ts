import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { ServerHealthService } from '#servers';
import { databaseTargets } from '../../support/database-targets.js';
import { launchChromium, newDashboardContext, screenshot, seriousA11yViolations, signIn, tabTo, useTheme } from '../../support/dashboard.js';
import { GraphQLClient } from '../../support/graphql-client.js';
import { registerServer } from '../../support/hub-fixtures.js';
import { startHub, type RunningHub } from '../../support/hub-app.js';
import { startAuthorizationServer, startProtectedMcpServer, type AuthorizationServerStandIn, type ProtectedMcpServer } from '../../support/oauth-upstream-stand-ins.js';

const STATE = 'query($s: ID!){ server(id: $s){ oauth { clientId } upstreamAuthorization { state } } }';

describe('dashboard: upstream OAuth', () => {
  let hub: RunningHub;
  let admin: GraphQLClient;
  let as: AuthorizationServerStandIn;
  let upstream: ProtectedMcpServer;
  let browser: Browser;
  let page: Page;
  let serverId: string;

  beforeAll(async () => {
    as = await startAuthorizationServer({ dynamicRegistration: true });
    upstream = await startProtectedMcpServer({ issuer: as.issuer, toolName: 'whoami' });
    hub = await startHub(databaseTargets[0]);
    admin = new GraphQLClient(hub.url);
    await admin.login('admin@example.com', 'admin-password-123');
    ({ id: serverId } = await registerServer(admin, { name: 'Protected', slug: 'protected', transport: 'STREAMABLE_HTTP', url: upstream.url }));
    browser = await launchChromium();
    page = await (await newDashboardContext(browser, hub.url)).newPage();
    await signIn(page, 'admin@example.com', 'admin-password-123', `/servers/${serverId}?tab=settings`);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.close();
    await upstream?.stop();
    await as?.stop();
  });

  it("turns OAuth on in the server's settings by keyboard", async () => {
    const toggle = page.getByRole('switch', { name: /Requires OAuth/ });
    await toggle.waitFor();
    await tabTo(page, toggle);
    await page.keyboard.press('Space');
    await page.getByLabel('Client id').waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await tabTo(page, page.getByRole('button', { name: 'Save OAuth settings' }));
    await page.keyboard.press('Enter');
    await page.getByText('OAuth saved: each person authorizes the server for themselves').waitFor();
    const { server } = await admin.data<{ server: { oauth: { clientId: string | null } | null } }>(STATE, { s: serverId });
    expect(server.oauth).toEqual({ clientId: null });
  });

  it('shows the server up while it asks for authorization, authorizes it through the authorization server and back, then revokes it', async () => {
    // Nobody authorized it yet: its 401 challenge is an answer, not an outage.
    expect(await hub.app.get(ServerHealthService).check(serverId, serverId)).toMatchObject({ status: 'HEALTHY' });
    await page.goto(`/servers/${serverId}`);
    await page.getByText('Up: it asks each person to authorize it (OAuth) before their agents can use it').waitFor();
    await page.locator('[data-health="HEALTHY"]').first().waitFor();
    const panel = page.getByRole('region', { name: 'Your authorization' });
    await panel.getByText('Not authorized').waitFor();
    await tabTo(page, panel.getByRole('button', { name: 'Authorize' }));
    // Off to the authorization server (it signs the person in at once) and back through the hub's callback.
    await Promise.all([page.waitForURL(/upstreamAuthorization=ok/, { timeout: 20_000 }), page.keyboard.press('Enter')]);
    await panel.getByRole('status').filter({ hasText: 'is authorized' }).waitFor();
    await panel.getByText('Authorized', { exact: true }).waitFor();
    expect(as.registrations).toHaveLength(1);
    for (const theme of ['light', 'dark'] as const) {
      await useTheme(page, theme);
      expect(await seriousA11yViolations(page)).toEqual([]);
      await screenshot(page, 'server-upstream-authorization', theme);
    }
    await useTheme(page, 'light');
    await tabTo(page, panel.getByRole('button', { name: 'Revoke' }));
    await page.keyboard.press('Enter');
    await page.getByText('Your authorization of Protected was revoked').waitFor();
    await panel.getByText('Not authorized').waitFor();
    expect(as.revocations.length).toBeGreaterThan(0);
    const { server } = await admin.data<{ server: { upstreamAuthorization: { state: string } } }>(STATE, { s: serverId });
    expect(server.upstreamAuthorization.state).toBe('NOT_AUTHORIZED');
  }, 60_000);
});

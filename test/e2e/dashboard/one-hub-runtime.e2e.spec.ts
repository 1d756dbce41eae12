import { afterAll, beforeAll, describe, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, newDashboardContext, signIn } from '../../support/dashboard.js';
import { GraphQLClient } from '../../support/graphql-client.js';
import { createGroup, createKey, registerServer } from '../../support/hub-fixtures.js';
import { startHub, startPeerHub, type RunningHub } from '../../support/hub-app.js';
import { hubTargets } from '../../support/hub-targets.js';
import { connectStreamable } from '../../support/mcp-clients.js';
import { everythingStdio } from '../../support/upstreams.js';

const target = hubTargets.find((t) => t.name === 'postgres+redis');

/**
 * Two hubs on one PostgreSQL and Redis: a ONE_HUB stdio server runs on the second, and the dashboard served by the
 * first says that this hub reaches it through the hub that runs it. Only with PostgreSQL + Redis.
 */
(target ? describe : describe.skip)('dashboard: a ONE_HUB server another hub runs', () => {
  let hub: RunningHub;
  let peer: { app: INestApplication; url: string };
  let browser: Browser;
  let page: Page;
  let serverId: string;
  const closing: { close(): Promise<void> }[] = [];

  beforeAll(async () => {
    hub = await startHub(target!.database, target!.env);
    const admin = new GraphQLClient(hub.url);
    await admin.login('admin@example.com', 'admin-password-123');
    ({ id: serverId } = await registerServer(admin, { name: 'everything', transport: 'STDIO', ...everythingStdio() }));
    await createGroup(admin, 'main', [serverId]);
    const { secret } = await createKey(admin);
    peer = await startPeerHub(hub);
    // The peer needs it first, so the peer runs it; then an agent of the first hub reaches it through the peer.
    for (const url of [peer.url, hub.url]) {
      const agent = await connectStreamable(url, 'main', secret);
      closing.push(agent);
      await agent.callTool({ name: 'everything__echo', arguments: { message: 'hi' } });
    }
    browser = await launchChromium();
    page = await (await newDashboardContext(browser, hub.url)).newPage();
    await signIn(page, 'admin@example.com', 'admin-password-123', `/servers/${serverId}`);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(closing.map((c) => c.close().catch(() => undefined)));
    await browser?.close();
    await peer?.app.close();
    await hub?.close();
  });

  it('shows the runtime as connected through the hub that runs it', async () => {
    await page.getByRole('heading', { name: 'Runtime on this hub' }).waitFor();
    await page.getByRole('button', { name: 'Refresh runtime' }).click();
    await page.getByRole('row').filter({ hasText: 'primary' }).getByRole('cell', { name: /^yes.*through the hub that runs it/ }).waitFor();
  });
});

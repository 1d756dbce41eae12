import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { createHubApp } from '../../apps/hub/src/create-hub-app.js';
import type { HubModuleOptions } from '../../apps/hub/src/hub.module.js';
import type { HubConfig } from '#core';
import { testConfig } from './test-config.js';
import type { DatabaseTarget } from './database-targets.js';

export interface RunningHub {
  app: INestApplication;
  config: HubConfig;
  url: string;
  close(): Promise<void>;
  /** Stops the hub's app (`app.close()`, as on SIGTERM), keeping its database. */
  stop(): Promise<void>;
  /** After `stop()`: boots a new hub on the same database, port and Redis, as a restarted process. */
  start(): Promise<void>;
}

/**
 * Hubs of startHub open in this process now. The first to start empties its Redis database (the jest worker's own;
 * its files run one at a time): usage not yet moved to PostgreSQL, queued jobs or sessions left by an earlier spec
 * must not leak into this one's database. A hub started while another is open shares what that one left, on purpose.
 * Counted rather than set once per module, since the full run loads several spec files in one module graph.
 */
let openHubs = 0;

/** Boots the real hub on a free port against a fresh database of the given target. Once per spec file. */
export async function startHub(
  target: DatabaseTarget,
  env: Record<string, string | undefined> = {},
  options: Omit<HubModuleOptions, 'schemaFile'> = {},
): Promise<RunningHub> {
  if (env.REDIS_URL && openHubs === 0) {
    const redis = new Redis(env.REDIS_URL);
    await redis.flushdb();
    await redis.quit();
  }
  const db = await target.create({ migrated: true });
  const base = testConfig({ DATABASE_URL: db.url, DATABASE_POOL_SIZE: String(target.poolSize), ...env });
  const app = await createHubApp(base, { ...options, schemaFile: false });
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  // Endpoints and snippets are built from publicUrl; point it at the real port.
  base.http.publicUrl = url;
  base.http.allowedOrigins = [url];
  let running = true;
  let open = true;
  openHubs++;
  const hub: RunningHub = {
    app,
    config: base,
    url,
    async close() {
      if (!open) return;
      open = false;
      openHubs--;
      await hub.stop();
      await db.dispose();
    },
    async stop() {
      if (running) await hub.app.close();
      running = false;
    },
    async start() {
      hub.app = await createHubApp(base, { ...options, schemaFile: false });
      await hub.app.listen(port, '127.0.0.1');
      running = true;
    },
  };
  return hub;
}

/** Another hub process of the same installation (same database, Redis and secrets) on a free port, for scale-out specs. */
export async function startPeerHub(hub: RunningHub): Promise<{ app: INestApplication; url: string }> {
  const app = await createHubApp(hub.config, { schemaFile: false });
  await app.listen(0, '127.0.0.1');
  return { app, url: `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}` };
}

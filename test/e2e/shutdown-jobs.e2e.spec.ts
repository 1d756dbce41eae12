import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplicationContext } from '@nestjs/common';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stdioServerJson, tokenReporterPackages } from '../support/catalog-fixtures.js';
import { queryDatabase } from '../support/database-query.js';
import { GraphQLClient } from '../support/graphql-client.js';
import { registerServer } from '../support/hub-fixtures.js';
import { startHub, type RunningHub } from '../support/hub-app.js';
import { hubTargetRows } from '../support/hub-targets.js';
import { useNpmHome } from '../support/npm-home.js';
import { startNpmRegistryStandIn, type NpmRegistryStandIn } from '../support/npm-registry-stand-in.js';
import { isAlive } from '../support/processes.js';
import { waitFor } from '../support/upstreams.js';
import { startWorker } from '../support/worker-app.js';

/** A stdio "server" that starts and never answers (an `npx` whose registry cannot be reached looks the same). */
const HANGS = `require('fs').appendFileSync(process.argv[1], process.pid + '\\n');
process.stdin.on('end', () => process.exit(0)).resume();`;

const INSTALLATION = 'query($id: ID!){ server(id: $id){ installation { state error } } }';

/**
 * Jobs get a signal that aborts when the process begins to stop, before the runners wait for them (BullMQ's worker
 * close; the in-process runner's 10 s grace):
 * - a health check of a server that hangs at start gives up, and the pool ends connection attempts under way;
 * - an npm pre-fetch stops npm and is handed back (BullMQ: to the queue; embedded: queued again at the next start).
 */
describe.each(hubTargetRows)('shutdown with jobs in flight on %s', (_name, target) => {
  let hub: RunningHub;
  let worker: INestApplicationContext | undefined;
  let admin: GraphQLClient;
  let dir: string;
  let npm: NpmRegistryStandIn;
  let npmHome: Awaited<ReturnType<typeof useNpmHome>>;
  /** The process running the jobs: the worker, or in embedded mode the hub. */
  const startJobs = async () => {
    if (target.inProcessJobs) return hub.start();
    worker = await startWorker(hub.config);
  };
  /** Stops it as on SIGTERM and says how long that took. */
  const stopJobs = async () => {
    const started = Date.now();
    if (worker) await worker.close();
    else await hub.stop();
    worker = undefined;
    return Date.now() - started;
  };

  /** The installation's row, read from the database itself (for when no hub is up to ask). */
  const storedState = async (serverId: string) =>
    (await queryDatabase(hub.config.databaseUrl!, 'SELECT state, error FROM server_installations WHERE server_id = $1', [serverId]))[0];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mcphub-shutdown-jobs-'));
    npm = await startNpmRegistryStandIn(tokenReporterPackages());
    npmHome = await useNpmHome(npm.url);
    hub = await startHub(target.database, target.env);
    // Production shape: jobs are the worker's; a hub's own stdio processes are not started there.
    if (!target.inProcessJobs) await startJobs();
    admin = new GraphQLClient(hub.url);
    await admin.login('admin@example.com', 'admin-password-123');
  });
  afterAll(async () => {
    await worker?.close();
    await hub?.close();
    await npm?.close();
    await npmHome?.restore();
    rmSync(dir, { recursive: true, force: true });
  });

  it('should hand an npm pre-fetch under way back when stopping, and finish it after the start', async () => {
    const entry = await admin.data<{ importCatalogEntry: { id: string } }>('mutation($j: String!){ importCatalogEntry(serverJson: $j){ id } }', {
      j: stdioServerJson('io.example.test/token-reporter', 'mcp-hub-token-reporter'),
    });
    npm.hold();
    const { installCatalogEntry } = await admin.data<{ installCatalogEntry: { server: { id: string } } }>(
      'mutation($i: InstallCatalogEntryInput!){ installCatalogEntry(input: $i){ server { id } } }',
      { i: { entryId: entry.importCatalogEntry.id, credentialScope: 'PER_USER' } },
    );
    const state = async () => (await admin.data<{ server: { installation: { state: string; error: string | null } } }>(INSTALLATION, { id: installCatalogEntry.server.id })).server.installation;
    await waitFor(() => npm.held === 1, 20_000, 'npm to ask the registry');

    // Without the hand-back: the worker waits for npm (up to its 5-minute limit); the hub gives up after 10 s.
    expect(await stopJobs()).toBeLessThan(5_000);
    await waitFor(() => npm.held === 0, 5_000, 'npm to be stopped');
    // Waiting, not failed: a shutdown says nothing about the package. The hub (still up with a worker) shows it; a
    // stopped embedded hub wrote it before its database closed (the job told to stop first, the database closed last).
    if (!target.inProcessJobs) expect(await state()).toEqual({ state: 'QUEUED', error: null });
    else expect(await storedState(installCatalogEntry.server.id)).toEqual({ state: 'QUEUED', error: null });
    npm.release();
    await startJobs();
    await waitFor(async () => (await state()).state === 'READY', 30_000, 'the pre-fetch to be finished after the start');
  }, 60_000);

  it('should stop at once, stopping the server it was starting, and record no check for it', async () => {
    const pids = join(dir, 'pids');
    const { id } = await registerServer(admin, { name: 'Hangs', slug: 'hangs', transport: 'STDIO', command: process.execPath, args: ['-e', HANGS, pids] });
    // Registering schedules the first check at once: it starts the server and waits for its answer.
    await waitFor(() => existsSync(pids), 20_000, 'the health check to start the server');

    // Without the abort: 10 s (the in-process runner's grace; the worker's probe timeout).
    expect(await stopJobs()).toBeLessThan(5_000);
    const serverPids = readFileSync(pids, 'utf8').trim().split('\n').map(Number);
    await waitFor(() => serverPids.every((pid) => !isAlive(pid)), 5_000, 'the server processes to be gone');
    if (target.inProcessJobs) return; // (the hub is stopped)
    const { server } = await admin.data<{ server: { health: unknown[] } }>('query($id: ID!){ server(id: $id){ health { status } } }', { id });
    expect(server.health).toEqual([]);
  });
});

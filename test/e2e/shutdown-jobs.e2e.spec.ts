import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkerModule } from '../../apps/worker/src/worker.module.js';
import { GraphQLClient } from '../support/graphql-client.js';
import { registerServer } from '../support/hub-fixtures.js';
import { startHub, type RunningHub } from '../support/hub-app.js';
import { hubTargetRows } from '../support/hub-targets.js';
import { isAlive } from '../support/processes.js';
import { waitFor } from '../support/upstreams.js';

/** A stdio "server" that starts and never answers (an `npx` whose registry cannot be reached looks the same). */
const HANGS = `require('fs').appendFileSync(process.argv[1], process.pid + '\\n');
process.stdin.on('end', () => process.exit(0)).resume();`;

/**
 * A health check of a server that hangs at start held a stopping process for 10 s: the hub's in-process jobs waited
 * out their grace, the worker's BullMQ close the check's own timeout. Jobs now get a signal that aborts when the
 * process begins to stop, and the pool ends connection attempts still under way.
 */
describe.each(hubTargetRows)('shutdown with a health check in flight on %s', (_name, target) => {
  let hub: RunningHub;
  let worker: INestApplicationContext | undefined;
  let dir: string;
  let hubClosed = false;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mcphub-shutdown-jobs-'));
    hub = await startHub(target.database, target.env);
    // Production shape: health checks are the worker's; a hub's own stdio processes are not started there.
    if (!target.inProcessJobs) worker = await (await Test.createTestingModule({ imports: [WorkerModule.forRoot(hub.config)] }).compile()).init();
  });
  afterAll(async () => {
    await worker?.close();
    if (!hubClosed) await hub?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('should stop at once, stopping the server it was starting, and record no check for it', async () => {
    const admin = new GraphQLClient(hub.url);
    await admin.login('admin@example.com', 'admin-password-123');
    const pids = join(dir, 'pids');
    const { id } = await registerServer(admin, { name: 'Hangs', slug: 'hangs', transport: 'STDIO', command: process.execPath, args: ['-e', HANGS, pids] });
    // Registering schedules the first check at once: it starts the server and waits for its answer.
    await waitFor(() => existsSync(pids), 20_000, 'the health check to start the server');

    const started = Date.now();
    if (worker) {
      await worker.close();
      worker = undefined;
    } else {
      await hub.close();
      hubClosed = true;
    }
    // Without the abort: 10 s (the in-process runner's grace; the worker's probe timeout).
    expect(Date.now() - started).toBeLessThan(5_000);
    const serverPids = readFileSync(pids, 'utf8').trim().split('\n').map(Number);
    await waitFor(() => serverPids.every((pid) => !isAlive(pid)), 5_000, 'the server processes to be gone');
    if (!hubClosed) {
      const { server } = await admin.data<{ server: { health: unknown[] } }>('query($id: ID!){ server(id: $id){ health { status } } }', { id });
      expect(server.health).toEqual([]);
    }
  });
});

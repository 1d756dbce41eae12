import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplicationContext } from '@nestjs/common';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hubTargetRows } from '../support/hub-targets.js';
import { GraphQLClient } from '../support/graphql-client.js';
import { startHub, type RunningHub } from '../support/hub-app.js';
import { waitFor } from '../support/upstreams.js';
import { startWorker } from '../support/worker-app.js';

interface Listed {
  id: string;
  fileName: string;
  source: string;
  verifyOk: boolean | null;
}

describe.each(hubTargetRows)('Scheduled backups (BACKUP_SCHEDULE, verification, BACKUP_RETENTION) on %s', (_name, target) => {
  let hub: RunningHub;
  let worker: INestApplicationContext | undefined;
  let admin: GraphQLClient;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mcphub-backup-schedule-'));
    // Every 2 seconds (six-field cron, seconds first), keeping the newest 2.
    hub = await startHub(target.database, {
      ...target.env,
      BACKUP_DIR: dir,
      BACKUP_SCHEDULE: '*/2 * * * * *',
      BACKUP_PASSPHRASE: 'scheduled backups passphrase',
      BACKUP_RETENTION: '2',
    });
    if (!target.inProcessJobs) worker = await startWorker(hub.config);
    admin = new GraphQLClient(hub.url);
    await admin.login('admin@example.com', 'admin-password-123');
  }, 120_000);

  afterAll(async () => {
    await worker?.close();
    await hub?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('should write, verify with BACKUP_PASSPHRASE and prune scheduled archives, files and list in step', async () => {
    const seen = new Set<string>();
    await waitFor(
      async () => {
        const { backups } = await admin.data<{ backups: Listed[] }>('{ backups { id fileName source verifyOk } }');
        for (const b of backups) seen.add(b.id);
        // Retention has run once a third archive was written while at most two are listed.
        return seen.size >= 3 && backups.length <= 2 && backups.some((b) => b.verifyOk === true) ? backups : null;
      },
      90_000,
      'three scheduled backups, two kept, one verified',
    );
    const { backups } = await admin.data<{ backups: Listed[] }>('{ backups { id fileName source verifyOk } }');
    expect(backups.every((b) => b.source === 'SCHEDULED')).toBe(true);
    expect(backups.length).toBeLessThanOrEqual(2);
    // The directory holds what the list shows (plus at most the archive being written right now).
    const files = (await readdir(dir)).filter((f) => f.endsWith('.mcphub-backup'));
    expect(files.length).toBeLessThanOrEqual(3);
    for (const b of backups) expect(files).toContain(b.fileName);
  }, 100_000);
});

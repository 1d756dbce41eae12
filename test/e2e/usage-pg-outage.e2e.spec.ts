import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { createHubApp } from '../../apps/hub/src/create-hub-app.js';
import { databaseTargets, redisUrl } from '../support/database-targets.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { testConfig } from '../support/test-config.js';
import { waitFor } from '../support/upstreams.js';
import { loggedCalls, recordedCalls, setUpLoadGroup, startAgentLoad } from '../support/usage-load.js';
import { startWorker } from '../support/worker-app.js';

const postgres = databaseTargets.find((t) => t.name === 'postgres');
const describeReal = postgres && redisUrl ? describe : describe.skip;
/** The outage the issue measures is 30 s; USAGE_PG_OUTAGE_MS shortens it for a quick local run. */
const OUTAGE_MS = Number(process.env.USAGE_PG_OUTAGE_MS ?? 30_000);
const AGENTS = 4;

describeReal(`usage survives a ${OUTAGE_MS / 1000} s PostgreSQL outage (Redis mode)`, () => {
  let db: { url: string; dispose(): Promise<void> };
  let proxy: TcpProxy;
  let redis: Redis;
  let hub: INestApplication | undefined;
  let worker: INestApplicationContext | undefined;

  beforeAll(async () => {
    redis = new Redis(redisUrl!);
    await redis.flushdb();
    db = await postgres!.create({ migrated: true });
    const pgUrl = new URL(db.url);
    proxy = await startTcpProxy(pgUrl.hostname, Number(pgUrl.port || 5432));
  });
  afterAll(async () => {
    await hub?.close();
    await worker?.close();
    await proxy?.close();
    await redis?.quit();
    await db?.dispose();
  });

  it('should move every answered call to PostgreSQL once it is back, none twice', async () => {
    // Hub and worker both reach PostgreSQL only through the proxy: cutting it is the database going away.
    const env = { DATABASE_URL: proxy.url(db.url), REDIS_URL: redisUrl, USAGE_FLUSH_INTERVAL_MS: '500' };
    hub = await createHubApp(testConfig(env), { schemaFile: false });
    await hub.listen(0, '127.0.0.1');
    const url = `http://127.0.0.1:${(hub.getHttpServer().address() as AddressInfo).port}`;
    worker = await startWorker(testConfig(env));

    const { admin, key } = await setUpLoadGroup(url);

    const load = await startAgentLoad(url, 'load', key.secret, AGENTS, 'everything__echo');
    await waitFor(async () => (await recordedCalls(db.url, key.id)) > 0, 30_000, 'usage to reach PostgreSQL before the outage');

    proxy.cut();
    const answeredAtCut = load.answered();
    // The worker's moves now fail: the claimed batch stays in Redis while calls keep adding up in pending.
    await waitFor(async () => (await redis.zcard('mcphub:usage:batches')) > 0 && (await redis.exists('mcphub:usage:pending')) === 1, 10_000, 'a batch held back');
    await new Promise((r) => setTimeout(r, OUTAGE_MS)); // the outage itself: a duration, not a condition
    const answeredDuringOutage = load.answered() - answeredAtCut;
    const recordedDuringOutage = await recordedCalls(db.url, key.id);
    proxy.restore();

    const before = load.answered();
    await waitFor(() => load.answered() > before + 50, 30_000, 'calls after the outage').catch((error: Error) => {
      // (It failed once in CI, not reproduced since: say what the agents were doing.)
      throw new Error(`${error.message}: ${load.answered() - before} answered since, ${load.inFlight()} in flight; agents stopped: ${load.stopped().join('; ') || 'none'}`);
    });
    await load.stop();
    const answered = load.answered();
    await waitFor(
      async () => (await redis.exists('mcphub:usage:pending', 'mcphub:calllog:pending')) === 0 && (await redis.zcard('mcphub:usage:batches')) === 0,
      30_000,
      'the worker to catch up',
    );
    const recorded = await recordedCalls(db.url, key.id);
    const logged = await loggedCalls(db.url, key.id);

    console.info(`PostgreSQL outage of ${OUTAGE_MS} ms: ${answered} calls answered (${answeredDuringOutage} during the outage), ${recorded} recorded; ${recordedDuringOutage} had reached PostgreSQL when it came back; ${logged} call-log entries`);
    expect(answeredDuringOutage).toBeGreaterThan(0);
    expect(recorded).toBe(answered);
    expect(logged).toBe(answered); // every call's entry too, none twice
    // The admin API's report reads usage_hourly (after moving what Redis holds) and agrees.
    const { usage } = await admin.data<{ usage: { calls: number } }>('query($k: ID!, $f: DateTime!, $t: DateTime!){ usage(keyId: $k, from: $f, to: $t){ calls } }', {
      k: key.id,
      // Hourly buckets count when their hour starts in [from, to): reach back past the start of the hour the run began in.
      f: new Date(Date.now() - 2 * 3_600_000).toISOString(),
      t: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect(usage.calls).toBe(answered);
  }, OUTAGE_MS + 150_000);
});

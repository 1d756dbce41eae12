import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { CreateMessageRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { createClient, type Client as WsClient } from 'graphql-ws';
import WebSocket from 'ws';
import { JobName, JobsService, MetricsRegistry } from '#core';
import { UpstreamPool } from '#mcp-gateway';
import { HubHealthReports, IDLE_STDIO_NOTE, ServerHealthService } from '#servers';
import { WorkerModule } from '../../apps/worker/src/worker.module.js';
import { hubTargetRows } from '../support/hub-targets.js';
import { GraphQLClient } from '../support/graphql-client.js';
import { createGroup, createKey, registerServer } from '../support/hub-fixtures.js';
import { startHub, type RunningHub } from '../support/hub-app.js';
import { connectStreamable } from '../support/mcp-clients.js';
import { sampleSum } from '../support/metrics-scrape.js';
import { testConfig } from '../support/test-config.js';
import { everythingStdio, waitFor } from '../support/upstreams.js';

type ToolResult = { content: { type: string; text?: string }[]; isError?: boolean };
const text = (r: unknown) => (r as ToolResult).content.map((c) => c.text ?? '').join('');
/** server-everything's get-env prints its environment: the REPLICA variable says who answered. */
const replicaOf = (r: unknown) => /"REPLICA":\s*"(\w+)"/.exec(text(r))?.[1];
const START_COUNTING_SERVER = join(process.cwd(), 'test/support/start-counting-server.mjs');
/** The pids a start-counting server's copies wrote, one per start. */
const startsIn = (log: string) => readFileSync(log, 'utf8').split('\n').filter(Boolean).map(Number);

describe.each(hubTargetRows)('replicas, failover and health (real stdio replicas) on %s', (_name, target) => {
  let hub: RunningHub;
  let admin: GraphQLClient;
  let key: string;
  const clients: Client[] = [];
  const ids: Record<string, string> = {};
  const stdio = (replica: string) => ({ ...everythingStdio(), env: [{ name: 'REPLICA', value: replica }] });

  const addReplica = async (serverId: string, input: Record<string, unknown>) =>
    (await admin.data<{ addServerReplica: { id: string } }>('mutation($s: ID!, $i: AddServerReplicaInput!){ addServerReplica(serverId: $s, input: $i){ id } }', { s: serverId, i: input })).addServerReplica.id;
  const balancing = (serverId: string, input: Record<string, unknown>) =>
    admin.data('mutation($s: ID!, $i: ServerBalancingInput!){ updateServerBalancing(serverId: $s, input: $i){ id } }', { s: serverId, i: input });
  const connect = async (group: string) => {
    const client = await connectStreamable(hub.url, group, key);
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    hub = await startHub(target.database, { ...target.env, UPSTREAM_REQUEST_TIMEOUT_MS: '5000' });
    admin = new GraphQLClient(hub.url);
    await admin.login('admin@example.com', 'admin-password-123');
    ids.twin = (await registerServer(admin, { name: 'twin', transport: 'STDIO', ...stdio('a') })).id;
    ids.twinB = await addReplica(ids.twin, { name: 'b', transport: 'STDIO', ...stdio('b') });
    ids.tiered = (await registerServer(admin, { name: 'tiered', transport: 'STDIO', ...stdio('main') })).id;
    ids.tieredBackup = await addReplica(ids.tiered, { name: 'backup', transport: 'STDIO', ...stdio('backup'), priority: 1 });
    ids.fallback = (await registerServer(admin, { name: 'fallback', transport: 'STREAMABLE_HTTP', url: 'http://127.0.0.1:9/mcp' })).id;
    ids.fallbackBackup = await addReplica(ids.fallback, { name: 'backup', transport: 'STDIO', ...stdio('backup'), priority: 1 });
    ids.slow = (await registerServer(admin, { name: 'slow', transport: 'STDIO', ...stdio('p') })).id;
    ids.slowQ = await addReplica(ids.slow, { name: 'q', transport: 'STDIO', ...stdio('q') });
    await createGroup(admin, 'twins', [ids.twin]);
    await createGroup(admin, 'slow-group', [ids.slow]);
    await createGroup(admin, 'tiers', [ids.tiered, ids.fallback]);
    key = (await createKey(admin)).secret;
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await hub?.close();
  });

  it('should alternate between replicas with round-robin', async () => {
    const client = await connect('twins');
    const answers = [];
    for (let i = 0; i < 10; i++) answers.push(replicaOf(await client.callTool({ name: 'twin__get-env', arguments: {} })));
    expect(answers.filter((a) => a === 'a')).toHaveLength(5);
    expect(answers.filter((a) => a === 'b')).toHaveLength(5);
  });

  it('should split 2,000 calls by weight within ±5%', async () => {
    await balancing(ids.twin, { loadBalancing: 'WEIGHTED', weight: 3 });
    const client = await connect('twins');
    const counts: Record<string, number> = { a: 0, b: 0 };
    for (let batch = 0; batch < 100; batch++) {
      const results = await Promise.all(Array.from({ length: 20 }, () => client.callTool({ name: 'twin__get-env', arguments: {} })));
      for (const r of results) counts[replicaOf(r)!]++;
    }
    expect(counts.a + counts.b).toBe(2000);
    expect(Math.abs(counts.a / 2000 - 0.75)).toBeLessThanOrEqual(0.05);
    await balancing(ids.twin, { loadBalancing: 'ROUND_ROBIN', weight: 1 });
  });

  it('should use a fallback tier only when every replica of the first tier is down', async () => {
    const client = await connect('tiers');
    const tiered = [];
    for (let i = 0; i < 6; i++) tiered.push(replicaOf(await client.callTool({ name: 'tiered__get-env', arguments: {} })));
    expect(new Set(tiered)).toEqual(new Set(['main']));
    // The first tier of "fallback" is an unreachable URL: every call lands on the backup, none fails.
    const fallback = [];
    for (let i = 0; i < 6; i++) fallback.push(replicaOf(await client.callTool({ name: 'fallback__get-env', arguments: {} })));
    expect(new Set(fallback)).toEqual(new Set(['backup']));
  });

  it('should lose no retry-safe call when a replica is killed under load, mark it DOWN and then HEALTHY', async () => {
    const pool = hub.app.get(UpstreamPool);
    const jobs = hub.app.get(JobsService);
    const ws: WsClient = createClient({ url: hub.url.replace('http', 'ws') + '/graphql', webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${admin.token}` } });
    const transitions: { replicaName: string; to: string }[] = [];
    const subscribed = new Promise<void>((resolve, reject) => {
      ws.subscribe(
        { query: 'subscription($s: ID){ serverStatusChanged(serverId: $s){ replicaName from to error } }', variables: { s: ids.twin } },
        { next: (m) => void transitions.push((m.data as { serverStatusChanged: { replicaName: string; to: string } }).serverStatusChanged), error: reject, complete: () => undefined },
      );
      ws.on('connected', () => resolve());
    });
    await subscribed;
    const check = () => jobs.enqueue(JobName.HEALTH_CHECK, { serverId: ids.twin, replicaId: ids.twin });
    const primaryStatus = async () =>
      (await admin.data<{ server: { health: { replicaId: string; status: string }[] } }>('query($id: ID!){ server(id: $id){ health { replicaId status } } }', { id: ids.twin })).server.health.find(
        (h) => h.replicaId === ids.twin,
      )?.status;
    // Health checks run in this process only in embedded mode; with Redis they are the separate worker's job, which
    // records what this hub reports (the case after this one boots a worker). Failover is checked on both targets.
    const health = target.inProcessJobs;
    // The scheduler checks every replica once at start; make sure the primary is known HEALTHY first.
    if (health) {
      await check();
      await waitFor(async () => (await primaryStatus()) === 'HEALTHY', 10_000, 'the primary to be HEALTHY');
    }

    const sessions = await Promise.all(Array.from({ length: 4 }, () => connect('twins')));
    let stop = false;
    let ok = 0;
    const failures: unknown[] = [];
    const load = sessions.map(async (client) => {
      while (!stop) {
        try {
          await client.callTool({ name: 'twin__get-structured-content', arguments: { location: 'New York' } });
          ok++;
        } catch (error) {
          failures.push(error);
        }
      }
    });
    try {
      await waitFor(() => ok > 50, 10_000, 'calls to flow');
      // Kill only while the primary holds a call, so that failover of an in-flight call is what gets tested
      // (checked and killed in the same tick: the call cannot finish in between).
      const killedWith = await waitFor(() => {
        const primary = pool.status(ids.twin)!;
        if (primary.inFlight === 0) return 0;
        process.kill(-primary.pid!, 'SIGKILL');
        return primary.inFlight;
      }, 10_000, 'a call in flight on the primary');
      expect(killedWith).toBeGreaterThan(0);
      await waitFor(() => !pool.status(ids.twin)!.connected, 5_000, 'the hub to notice the crash');
      if (health) {
        await check();
        await waitFor(() => transitions.some((t) => t.replicaName === 'primary' && t.to === 'DOWN'), 10_000, 'the DOWN transition');
      }
      const before = ok;
      await waitFor(() => ok > before + 50, 10_000, 'calls to continue on the survivor');
      await waitFor(() => pool.status(ids.twin)!.connected, 10_000, 'the restart');
      if (health) {
        await check();
        await waitFor(() => transitions.some((t) => t.replicaName === 'primary' && t.to === 'HEALTHY'), 10_000, 'HEALTHY again');
      }
    } finally {
      stop = true;
      await Promise.all(load);
      await ws.dispose();
    }
    expect(failures).toEqual([]);
    if (!health) return;
    const { server } = await admin.data<{ server: { health: { replicaId: string; status: string }[] } }>('query($id: ID!){ server(id: $id){ health { replicaId status } } }', { id: ids.twin });
    expect(server.health.find((h) => h.replicaId === ids.twin)?.status).toBe('HEALTHY');
    const { serverHealthHistory } = await admin.data<{ serverHealthHistory: { status: string }[] }>('query($id: ID!){ serverHealthHistory(serverId: $id){ status } }', { id: ids.twin });
    expect(serverHealthHistory.map((h) => h.status)).toEqual(expect.arrayContaining(['HEALTHY', 'DOWN']));
  });

  // Production mode only: there the worker checks health in its own process (embedded mode pings in-process, above).
  (target.inProcessJobs ? it.skip : it)("should take a hub-run stdio server's health from that hub, starting no copy in the worker", async () => {
    const pool = hub.app.get(UpstreamPool);
    const owned = join(tmpdir(), `owned-starts-${process.pid}-${Date.now()}.log`);
    const idle = join(tmpdir(), `idle-starts-${process.pid}-${Date.now()}.log`);
    writeFileSync(owned, '');
    writeFileSync(idle, '');
    const counting = (log: string) => ({ transport: 'STDIO', command: process.execPath, args: [START_COUNTING_SERVER], env: [{ name: 'START_LOG', value: log }] });
    const ownedId = (await registerServer(admin, { name: 'owned', ...counting(owned) })).id;
    const idleId = (await registerServer(admin, { name: 'idle', ...counting(idle) })).id;
    const brokenId = (await registerServer(admin, { name: 'broken', transport: 'STDIO', command: process.execPath, args: [join(tmpdir(), 'no-such-server.mjs')] })).id;
    // "owned" keeps the 30 s default: back after a crash must be reported sooner than that.
    for (const id of [idleId, brokenId]) await balancing(id, { healthCheckIntervalSeconds: 5 });
    await createGroup(admin, 'owned-group', [ownedId]);
    const agent = await connect('owned-group');
    const firstPid = JSON.parse(text(await agent.callTool({ name: 'owned__whoami', arguments: {} }))).pid as number;
    // The hub reports the process it runs (within a second of starting it): only then may the worker look.
    await waitFor(() => hub.app.get(HubHealthReports).fresh(ownedId, 60_000), 5_000, 'the hub to report its process');
    const worker = await (
      await Test.createTestingModule({
        imports: [
          WorkerModule.forRoot(
            testConfig({ DATABASE_URL: hub.config.databaseUrl, REDIS_URL: hub.config.redisUrl, HUB_ENCRYPTION_KEY: hub.config.encryption.key.toString('base64'), JWT_SECRET: hub.config.jwt.secret }),
          ),
        ],
      }).compile()
    ).init();
    const ws: WsClient = createClient({ url: hub.url.replace('http', 'ws') + '/graphql', webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${admin.token}` } });
    try {
      const transitions: string[] = [];
      await new Promise<void>((resolve, reject) => {
        ws.subscribe(
          { query: 'subscription($s: ID){ serverStatusChanged(serverId: $s){ to } }', variables: { s: ownedId } },
          { next: (m) => void transitions.push((m.data as { serverStatusChanged: { to: string } }).serverStatusChanged.to), error: reject, complete: () => undefined },
        );
        ws.on('connected', () => resolve());
      });
      const health = worker.get(ServerHealthService);
      expect(await health.check(ownedId, ownedId)).toMatchObject({ status: 'HEALTHY', error: null, note: null });
      expect(startsIn(owned)).toEqual([firstPid]);

      // The hub's process dies: the hub says so at once, restarts it, and says it is back as soon as it is.
      process.kill(-firstPid, 'SIGKILL');
      await waitFor(async () => (await health.check(ownedId, ownedId))?.status === 'DOWN', 10_000, 'DOWN from the hub');
      await waitFor(async () => (await health.check(ownedId, ownedId))?.status === 'HEALTHY', 15_000, 'HEALTHY again');
      await waitFor(() => transitions.includes('DOWN') && transitions.at(-1) === 'HEALTHY', 5_000, 'both transitions to reach subscribers');
      // Two starts, both the hub's own (its agent's first call, its restart); none by the worker.
      expect(startsIn(owned)).toEqual([firstPid, pool.status(ownedId)!.pid]);

      // No hub runs "idle": the worker starts one copy to see it starts, then not again for IDLE_STDIO_CHECK_EVERY intervals.
      await waitFor(async () => (await health.history(idleId, 1)).length > 0 || undefined, 15_000, "the worker's first check of the idle server");
      const [first] = await health.history(idleId, 1);
      expect(first).toMatchObject({ status: 'HEALTHY', note: IDLE_STDIO_NOTE });
      expect(startsIn(idle)).toHaveLength(1);
      // A worker restarted meanwhile (its gauges empty) shows the last status without starting a copy either.
      const metrics = worker.get(MetricsRegistry).registry;
      metrics.resetMetrics();
      expect((await health.check(idleId, idleId))?.id).toBe(first.id);
      expect(startsIn(idle)).toHaveLength(1);
      expect(sampleSum(await metrics.metrics(), 'mcphub_upstream_health_status', { server: 'idle', replica: 'primary', status: 'HEALTHY' })).toBe(1);

      // One that does not start is tried at each check, so that a fixed configuration shows at once.
      await waitFor(async () => (await health.history(brokenId, 1)).length > 0 || undefined, 15_000, "the worker's first check of the broken server");
      const [failed] = await health.history(brokenId, 1);
      expect(failed.status).toBe('DOWN');
      const again = await health.check(brokenId, brokenId);
      expect(again).toMatchObject({ status: 'DOWN', error: expect.stringContaining('broken') });
      expect(again!.id).not.toBe(failed.id);
    } finally {
      await ws.dispose();
      await worker.close();
    }
  });

  it('should not resend a call that is not retry-safe when its replica dies mid-call', async () => {
    const pool = hub.app.get(UpstreamPool);
    // trigger-sampling-request carries no idempotent/read-only hint, and it waits for our sampling answer.
    const client = await connectStreamable(hub.url, 'slow-group', key, { capabilities: { sampling: {} } });
    clients.push(client);
    let asked = false;
    client.setRequestHandler(CreateMessageRequestSchema, () => {
      asked = true;
      return new Promise(() => undefined);
    });
    const call = client.callTool({ name: 'slow__trigger-sampling-request', arguments: { prompt: 'hi', maxTokens: 5 } });
    await waitFor(() => asked, 5_000, 'the sampling request');
    const busy = [ids.slow, ids.slowQ].find((id) => (pool.status(id)?.inFlight ?? 0) > 0)!;
    process.kill(-pool.status(busy)!.pid!, 'SIGKILL');
    await expect(call).rejects.toThrow(/closed the connection.*not retried on another replica/);
  });

  it('should open the circuit of replicas whose calls keep timing out', async () => {
    const client = await connect('slow-group');
    // Six calls that outlive the hub's 5 s upstream timeout: three land on each replica (round-robin) first.
    const outcomes = await Promise.allSettled(
      Array.from({ length: 6 }, () => client.callTool({ name: 'slow__trigger-long-running-operation', arguments: { duration: 8, steps: 1 } }, undefined, { timeout: 20_000 })),
    );
    expect(outcomes.every((o) => o.status === 'rejected' && /did not answer tools\/call within 5000 ms/.test(String(o.reason)))).toBe(true);
    const { server } = await admin.data<{ server: { runtime: { name: string; circuit: string; circuitOpenUntil: string | null }[] } }>(
      'query($id: ID!){ server(id: $id){ runtime { name circuit circuitOpenUntil } } }',
      { id: ids.slow },
    );
    // Calls that timed out on one replica failed over to the other (the tool is read-only), so by now the first
    // circuit to open may already be half-open; either way both opened.
    for (const replica of server.runtime) expect(['OPEN', 'HALF_OPEN']).toContain(replica.circuit);
    expect(server.runtime.every((r) => r.circuitOpenUntil !== null)).toBe(true);
  });

  it('should restart a server on request', async () => {
    const pool = hub.app.get(UpstreamPool);
    await waitFor(() => pool.status(ids.tiered)?.connected, 10_000, 'tiered to be running');
    const pid = pool.status(ids.tiered)!.pid;
    const { restartServer } = await admin.data<{ restartServer: { runtime: { name: string; connected: boolean }[] } }>('mutation($id: ID!){ restartServer(id: $id){ runtime { name connected } } }', { id: ids.tiered });
    expect(restartServer.runtime.find((r) => r.name === 'primary')?.connected).toBe(true);
    expect(pool.status(ids.tiered)!.pid).not.toBe(pid);
  });

  it('should keep an open session working while replicas are added and removed', async () => {
    const client = await connect('tiers');
    const extra = await addReplica(ids.tiered, { name: 'extra', transport: 'STDIO', ...stdio('extra') });
    const seen = new Set<string>();
    await waitFor(async () => {
      seen.add(replicaOf(await client.callTool({ name: 'tiered__get-env', arguments: {} }))!);
      return seen.has('extra');
    }, 10_000, 'the new replica to take calls');
    await admin.data('mutation($id: ID!){ removeServerReplica(id: $id) }', { id: extra });
    await waitFor(async () => replicaOf(await client.callTool({ name: 'tiered__get-env', arguments: {} })) === 'main', 10_000, 'calls back on main');
    expect(text(await client.callTool({ name: 'tiered__echo', arguments: { message: 'still here' } }))).toContain('still here');
  });

  it('should validate replica input, name the field and change nothing', async () => {
    const bad = await admin.request('mutation($s: ID!){ addServerReplica(serverId: $s, input: { name: "x", transport: STREAMABLE_HTTP, url: "ftp://x" }){ id } }', { s: ids.twin });
    expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(bad.errors?.[0].message).toContain('input.url');
    const weight = await admin.request('mutation($s: ID!){ updateServerBalancing(serverId: $s, input: { weight: 0 }){ id } }', { s: ids.twin });
    expect(weight.errors?.[0].message).toContain('input.weight');
    const { server } = await admin.data<{ server: { replicas: { id: string }[]; weight: number } }>('query($id: ID!){ server(id: $id){ weight replicas { id } } }', { id: ids.twin });
    expect(server.replicas.map((r) => r.id)).toEqual([ids.twinB]);
    expect(server.weight).toBe(1);
  });
});

// npm run bench:scale-out: the cost of running hubs without session affinity, measured in one run.
// Three hub processes on one PostgreSQL and one Redis behind a plain round-robin balancer (every request of a
// session on the next hub) against ONE hub behind the same balancer, at BENCH_SESSIONS sessions, on this machine
// (the CPU is shared: the figure is the cost of sharing sessions, not a gain from more machines). Also counts the
// Redis commands per call (a private redis-server, so only the hubs' commands are counted). The same stdio echo
// server is registered twice: EVERY_HUB (each hub runs its own copy) and ONE_HUB (one hub runs it, the others
// forward their calls to it through Redis), so both ways of running a stdio server without affinity are measured.
// Each three-hub row has an affinity twin (the balancer keeps a session on one hub), for comparison only.
// Needs PostgreSQL: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres); and `npm run build`.
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { percentile, median, runLoad } from './load.js';
import { hubArgs } from './hub-command.js';
import { startPrivateServices } from './private-services.js';
import { cpuMeter, start, stop } from './processes.js';
import { gqlAt } from './hub-graphql.js';
import { startRoundRobinProxy } from '../test/support/round-robin-proxy.js';
import { freePort } from '../test/support/upstreams.js';
import { assertRecordingKeptUp, emptyWaitingUsage } from './usage-backlog.js';

const SESSIONS = (process.env.BENCH_SESSIONS ?? '16,64').split(',').map(Number);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 3000);
const WARM_UP_MS = 1000;
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ECHO = join(import.meta.dirname, 'echo-server.mjs');

async function setUp(port: number): Promise<string> {
  const { login } = await gqlAt(port, 'mutation($e:String!,$p:String!){ login(email:$e,password:$p){ accessToken } }', { e: 'bench@example.com', p: 'bench-password-123' });
  const token = login.accessToken as string;
  const register = async (slug: string) =>
    (await gqlAt(port, 'mutation($i: RegisterServerInput!){ registerServer(input:$i){ id } }', { i: { name: slug, slug, transport: 'STDIO', command: process.execPath, args: [ECHO, 'stdio'] } }, token)).registerServer.id as string;
  const everyHub = await register('echo-stdio');
  await gqlAt(port, 'mutation($s: ID!){ updateServerBalancing(serverId:$s, input:{ connectionPlacement: EVERY_HUB }){ id } }', { s: everyHub }, token);
  const oneHub = await register('echo-one'); // stdio servers are ONE_HUB unless told otherwise
  const { createGroup } = await gqlAt(port, 'mutation($i: CreateGroupInput!){ createGroup(input:$i){ id } }', { i: { name: 'bench', slug: 'bench', toolNaming: 'PREFIX_ALWAYS' } }, token);
  for (const id of [everyHub, oneHub]) await gqlAt(port, 'mutation($g: ID!, $s: ID!){ addServerToGroup(groupId:$g, serverId:$s){ id } }', { g: createGroup.id, s: id }, token);
  const { createApiKey } = await gqlAt(port, 'mutation{ createApiKey(input:{ name: "bench" }){ secret } }', {}, token);
  return createApiKey.secret as string;
}

async function redisCommands(redis: Redis): Promise<number> {
  const info = await redis.info('commandstats');
  return [...info.matchAll(/cmdstat_(\w+):calls=(\d+)/g)].filter(([, name]) => name !== 'info').reduce((sum, [, , calls]) => sum + Number(calls), 0);
}

async function main() {
  const children: ChildProcess[] = [];
  const services = await startPrivateServices(ADMIN_URL, 'scale');
  const { redis, env } = services;
  try {
    const ports = [await freePort(), await freePort(), await freePort()];
    const startHub = (port: number) => start(process.execPath, hubArgs(), { ...env, PORT: String(port) }, /MCP Hub listening/i, 60_000);
    const first = await startHub(ports[0]); // runs the migrations
    children.push(first, ...(await Promise.all(ports.slice(1).map(startHub))));
    const key = await setUp(ports[0]);
    const urls = ports.map((p) => `http://127.0.0.1:${p}`);
    const one = await startRoundRobinProxy(urls.slice(0, 1));
    const three = await startRoundRobinProxy(urls);
    const all = children.map((c) => c.pid!);
    // For comparison only: the same three hubs behind a balancer with session affinity (hubs need none). The gap
    // between a row and its affinity row is what sessions moving between hubs costs.
    const sticky = await startRoundRobinProxy(urls, { affinity: true });
    const targets = [
      { label: 'one hub behind the balancer', url: `${one.url}/mcp/bench`, pids: [first.pid!], tool: 'echo-stdio__echo' },
      { label: 'three hubs, EVERY_HUB (a copy per hub)', url: `${three.url}/mcp/bench`, pids: all, tool: 'echo-stdio__echo' },
      { label: 'three hubs with affinity, EVERY_HUB', url: `${sticky.url}/mcp/bench`, pids: all, tool: 'echo-stdio__echo' },
      { label: 'one hub, ONE_HUB', url: `${one.url}/mcp/bench`, pids: [first.pid!], tool: 'echo-one__echo' },
      { label: 'three hubs, ONE_HUB (forwarded to one)', url: `${three.url}/mcp/bench`, pids: all, tool: 'echo-one__echo' },
      { label: 'three hubs with affinity, ONE_HUB', url: `${sticky.url}/mcp/bench`, pids: all, tool: 'echo-one__echo' },
    ];
    const rows: string[] = [];
    for (const sessions of SESSIONS) {
      const results = new Map<string, { cps: number[]; p50: number[]; p95: number[]; errors: number; cpu: number[]; redis: number[] }>();
      // Unmeasured: every target once, so no round starts on a hub whose code V8 has not optimised yet (the first
      // targets of the first round ran at about 0.75× their later speed in a run on 2026-11-29).
      for (const target of targets) await runLoad(target.url, { authorization: `Bearer ${key}` }, target.tool, sessions, WARM_UP_MS);
      for (let round = 0; round < ROUNDS; round++) {
        for (const target of round % 2 ? [...targets].reverse() : targets) {
          await emptyWaitingUsage(env.REDIS_URL);
          // Over the measured calls only (not the sessions' connecting and warming up).
          let meter: ReturnType<typeof cpuMeter> | undefined;
          let hubsCpu = 0;
          let redisBefore: Promise<number> | undefined;
          let redisAfter: Promise<number> | undefined;
          const window = {
            onStart: () => void ((meter = cpuMeter(target.pids, [])), (redisBefore = redisCommands(redis))),
            onEnd: () => void ((hubsCpu = meter!.read().serving), (redisAfter = redisCommands(redis))),
          };
          const result = await runLoad(target.url, { authorization: `Bearer ${key}` }, target.tool, sessions, DURATION_MS, window);
          for (const port of ports) await assertRecordingKeptUp(port, true, `${target.label} × ${sessions} sessions, hub on port ${port}`);
          const calls = Math.max(1, result.calls);
          const cpu = hubsCpu / calls;
          const redisPerCall = ((await redisAfter!) - (await redisBefore!)) / calls;
          const sorted = result.latenciesMs.sort((a, b) => a - b);
          const r = results.get(target.label) ?? { cps: [], p50: [], p95: [], errors: 0, cpu: [], redis: [] };
          r.cps.push(result.calls / result.seconds);
          r.p50.push(percentile(sorted, 50));
          r.p95.push(percentile(sorted, 95));
          r.errors += result.errors;
          r.cpu.push(cpu);
          r.redis.push(redisPerCall);
          results.set(target.label, r);
          process.stderr.write(`round ${round + 1} x${sessions} ${target.label}: ${(result.calls / result.seconds).toFixed(0)} calls/s, ${result.errors} errors, ${redisPerCall.toFixed(2)} Redis commands/call\n`);
        }
      }
      // Each against one hub running the same server the same way (the one-hub target with the same tool).
      for (const { label, tool } of targets) {
        const r = results.get(label)!;
        const base = median(results.get(targets.find((t) => t.pids.length === 1 && t.tool === tool)!.label)!.cps);
        rows.push(`| ${sessions} | ${label} | ${median(r.cps).toFixed(0)} | ${(median(r.cps) / base).toFixed(2)}× | ${median(r.p50).toFixed(2)} | ${median(r.p95).toFixed(2)} | ${r.errors} | ${median(r.cpu).toFixed(0)} | ${median(r.redis).toFixed(2)} |`);
      }
    }
    const report = [
      `Scale-out, ${new Date().toISOString()}, ${ROUNDS} rounds × ${DURATION_MS} ms after a warm-up pass, medians; hub → echo over stdio, key without quotas.`,
      'Hub CPU and Redis commands per call over the measured calls only. Between points the usage waiting in Redis is emptied (no worker runs); a hub that fell behind recording usage fails the run (bench/usage-backlog.ts).',
      '',
      '| sessions | target | calls/s | vs one hub | p50 ms | p95 ms | errors | hub CPU µs/call (all hubs) | Redis commands/call |',
      '|---|---|---|---|---|---|---|---|---|',
      ...rows,
      '',
      `Balancer requests per hub (three): ${three.stats.perBackend.join(' / ')}`,
    ].join('\n') + '\n';
    writeFileSync(join(import.meta.dirname, 'results', 'scale-out-latest.md'), report);
    process.stdout.write(report);
    await one.close();
    await three.close();
    await sticky.close();
  } finally {
    await Promise.all(children.map(stop));
    await services.close();
  }
}

await main();

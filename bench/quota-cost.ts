// The cost of a quota-limited key in production mode (PostgreSQL + Redis), measured in one run: one hub process,
// a key without quotas against a key with (generous) per-minute and per-day limits, hub CPU µs per call, calls/s
// and Redis commands per call (a private redis-server, so only the hubs' commands are counted).
// BENCH_BEFORE_DIR=<another checkout, built> runs that checkout's hub too (same database and Redis), rounds alternating.
// Needs PostgreSQL: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres); and `npm run build`.
// Run: npm run bench:quota
import type { ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { percentile, median, runLoad } from './load.js';
import { hubArgs } from './hub-command.js';
import { startPrivateServices } from './private-services.js';
import { cpuMicros, start, stop } from './processes.js';
import { gqlAt } from './hub-graphql.js';
import { freePort } from '../test/support/upstreams.js';

const SESSIONS = (process.env.BENCH_SESSIONS ?? '1,16').split(',').map(Number);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 3000);
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const BEFORE_DIR = process.env.BENCH_BEFORE_DIR;
const ECHO = join(import.meta.dirname, 'echo-server.mjs');

async function setUp(port: number): Promise<{ unlimited: string; limited: string }> {
  const { login } = await gqlAt(port, 'mutation($e:String!,$p:String!){ login(email:$e,password:$p){ accessToken } }', { e: 'bench@example.com', p: 'bench-password-123' });
  const token = login.accessToken as string;
  const { registerServer } = await gqlAt(port, 'mutation($i: RegisterServerInput!){ registerServer(input:$i){ id } }', { i: { name: 'echo-stdio', slug: 'echo-stdio', transport: 'STDIO', command: process.execPath, args: [ECHO, 'stdio'] } }, token);
  const { createGroup } = await gqlAt(port, 'mutation($i: CreateGroupInput!){ createGroup(input:$i){ id } }', { i: { name: 'bench', slug: 'bench', toolNaming: 'PREFIX_ALWAYS' } }, token);
  await gqlAt(port, 'mutation($g: ID!, $s: ID!){ addServerToGroup(groupId:$g, serverId:$s){ id } }', { g: createGroup.id, s: registerServer.id }, token);
  const key = async (limits: string) => (await gqlAt(port, `mutation{ createApiKey(input:{ name: "bench"${limits} }){ secret } }`, {}, token)).createApiKey.secret as string;
  // Limits no run reaches: every call is charged and admitted.
  return { unlimited: await key(''), limited: await key(', perMinute: 10000000, perDay: 10000000') };
}

/** Calls per Redis command so far (commands a Lua script runs count too), INFO itself left out. */
async function redisCommandCalls(redis: Redis): Promise<Map<string, number>> {
  const info = await redis.info('commandstats');
  return new Map([...info.matchAll(/cmdstat_(\w+):calls=(\d+)/g)].filter(([, name]) => name !== 'info').map(([, name, calls]) => [name, Number(calls)]));
}
const total = (calls: Map<string, number>) => [...calls.values()].reduce((a, b) => a + b, 0);
/** Per call, by command, between two snapshots: which commands a target's calls cost. */
const perCall = (before: Map<string, number>, after: Map<string, number>, calls: number) =>
  [...after].map(([name, n]) => [name, (n - (before.get(name) ?? 0)) / calls] as const).filter(([, n]) => n >= 0.01).map(([name, n]) => `${name} ${n.toFixed(2)}`).join(', ');

async function main() {
  const children: ChildProcess[] = [];
  const services = await startPrivateServices(ADMIN_URL, 'quota');
  const { redis, env } = services;
  try {
    const startHub = async (dir: string) => {
      const port = await freePort();
      const child = await start(process.execPath, hubArgs([], join(dir, 'dist/apps/hub/src/main.js')), { ...env, PORT: String(port) }, /MCP Hub listening/i, 60_000, dir);
      children.push(child);
      return { port, pid: child.pid! };
    };
    const hubs = [{ label: 'this build', ...(await startHub(resolve('.'))) }];
    if (BEFORE_DIR) hubs.push({ label: 'before', ...(await startHub(resolve(BEFORE_DIR))) });
    const keys = await setUp(hubs[0].port);
    const targets = hubs.flatMap((hub) => [
      { label: `${hub.label}, key without quotas`, hub, key: keys.unlimited },
      { label: `${hub.label}, key with quotas`, hub, key: keys.limited },
    ]);
    const rows: string[] = [];
    for (const sessions of SESSIONS) {
      const results = new Map<string, { cps: number[]; p50: number[]; errors: number; cpu: number[]; redis: number[] }>();
      for (let round = 0; round < ROUNDS; round++) {
        for (const target of round % 2 ? [...targets].reverse() : targets) {
          const cpuBefore = cpuMicros(target.hub.pid);
          const redisBefore = await redisCommandCalls(redis);
          const result = await runLoad(`http://127.0.0.1:${target.hub.port}/mcp/bench`, { authorization: `Bearer ${target.key}` }, 'echo-stdio__echo', sessions, DURATION_MS);
          const calls = result.calls + sessions * 20; // warm-up calls count for CPU and Redis
          const cpu = (cpuMicros(target.hub.pid) - cpuBefore) / calls;
          const redisAfter = await redisCommandCalls(redis);
          const redisPerCall = (total(redisAfter) - total(redisBefore)) / calls;
          if (round === 0) process.stderr.write(`  Redis commands per call, ${target.label}: ${perCall(redisBefore, redisAfter, calls)}\n`);
          const r = results.get(target.label) ?? { cps: [], p50: [], errors: 0, cpu: [], redis: [] };
          r.cps.push(result.calls / result.seconds);
          r.p50.push(percentile(result.latenciesMs.sort((a, b) => a - b), 50));
          r.errors += result.errors;
          r.cpu.push(cpu);
          r.redis.push(redisPerCall);
          results.set(target.label, r);
          process.stderr.write(`round ${round + 1} x${sessions} ${target.label}: ${(result.calls / result.seconds).toFixed(0)} calls/s, ${cpu.toFixed(0)} µs CPU/call, ${redisPerCall.toFixed(3)} Redis commands/call, ${result.errors} errors\n`);
        }
      }
      for (const [label, r] of results) {
        rows.push(`| ${sessions} | ${label} | ${median(r.cps).toFixed(0)} | ${median(r.p50).toFixed(2)} | ${r.errors} | ${median(r.cpu).toFixed(0)} | ${median(r.redis).toFixed(3)} |`);
      }
    }
    console.log(`Quota cost in production mode, ${ROUNDS} rounds × ${DURATION_MS} ms, medians; hub → echo over stdio.\n`);
    console.log('| sessions | target | calls/s | p50 ms | errors | hub CPU µs/call | Redis commands/call |');
    console.log('|---|---|---|---|---|---|---|');
    for (const row of rows) console.log(row);
  } finally {
    await Promise.all(children.map(stop));
    await services.close();
  }
}

await main();

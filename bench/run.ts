// npm run bench: hub overhead against a direct baseline and against mcp-proxy, measured in one run.
// Targets: (a) direct echo server over Streamable HTTP (baseline); (b) hub → echo over stdio;
// (c) hub → echo over Streamable HTTP; (d) mcp-proxy → echo over stdio. Rounds alternate targets; medians reported.
// BENCH_BEFORE_DIR=<another checkout, built> adds (e)/(f): that checkout's hub in the same run, for before/after ratios.
// (g)/(h): the same hub targets in production mode — a hub on PostgreSQL (a database of its own, created and dropped
// next to BENCH_DATABASE_URL's, default postgres://postgres@127.0.0.1:5432/postgres) and Redis (BENCH_REDIS_URL,
// default redis://127.0.0.1:6379/6: FLUSHED), called with a key that has quotas (never refused, still charged).
// BENCH_BEFORE_DIR with BENCH_BEFORE_REDIS_URL (another Redis database, FLUSHED) adds (i)/(j): the BEFORE hub in
// production mode.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { connect, createServer } from 'node:net';
import { median, percentile, runLoad, type LoadResult, type LoadWindow } from './load.js';
import { childPids, cpuMeter, rssMb, start, stop, type CpuUsed } from './processes.js';
import { gqlAt } from './hub-graphql.js';
import { hubArgs } from './hub-command.js';
import { createDatabase, flushRedis, setUpUsers, startHub as startProductionHub, type Database } from './loadtest-hub.js';
import { assertRecordingKeptUp, emptyWaitingUsage } from './usage-backlog.js';

const require = createRequire(import.meta.url);
const SESSIONS = (process.env.BENCH_SESSIONS ?? '1,16,64').split(',').map(Number);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 3000);
/** For profiling: run some targets only, and pass node flags (e.g. --cpu-prof) to the hub. */
const ONLY = process.env.BENCH_TARGETS?.split(',');
const HUB_NODE_ARGS = process.env.BENCH_HUB_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
const BEFORE_DIR = process.env.BENCH_BEFORE_DIR;
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/6';
const BEFORE_REDIS_URL = process.env.BENCH_BEFORE_REDIS_URL;
const ECHO = join(import.meta.dirname, 'echo-server.mjs');
const ports = { echo: 0, hub: 0, proxy: 0, relay: 0, before: 0 };

/** Ports handed out but maybe not bound yet (the proxy starts last): never handed out twice. */
const handedOut = new Set<number>();

async function freePort(): Promise<number> {
  for (;;) {
    const port = await anyFreePort();
    if (!handedOut.has(port)) return handedOut.add(port), port;
  }
}

function anyFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

interface Target {
  id: 'a' | 'b' | 'c' | 'd' | 'e' | 'f' | 'g' | 'h' | 'i' | 'j' | 'k';
  label: string;
  url: string;
  tool: string;
  headers: Record<string, string>;
  pid: number;
  /** The processes the serving one passes each call on to (its stdio child, the echo HTTP server): their CPU too. */
  upstreamPids(): number[];
  /** A hub: its port, and its Redis in production mode (see bench/usage-backlog.ts). */
  hub?: { port: number | string; redisUrl?: string };
}

interface Sample {
  callsPerSec: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  cpuUsPerCall: number;
  upstreamCpuUsPerCall: number;
  /** The load generator's own CPU (this process: the SDK clients). */
  clientCpuUsPerCall: number;
  /** Of all the machine's cores, while the calls were measured: 100 % = CPU-bound. */
  machineBusyPercent: number;
  rssMb: number;
}

/** mcp-proxy announces itself before it listens: wait until the port accepts connections. */
async function waitForPort(port: number, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => (socket.end(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`port ${port} never opened`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function setUpHub(port: number): Promise<string> {
  const gql = (q: string, v: Record<string, unknown>, token?: string) => gqlAt(port, q, v, token);
  const { login } = await gql('mutation($e:String!,$p:String!){ login(email:$e,password:$p){ accessToken } }', { e: 'bench@example.com', p: 'bench-password-123' });
  const token = login.accessToken as string;
  const server = async (input: Record<string, unknown>) => (await gql('mutation($i: RegisterServerInput!){ registerServer(input:$i){ id } }', { i: input }, token)).registerServer.id;
  const stdioId = await server({ name: 'echo-stdio', slug: 'echo-stdio', transport: 'STDIO', command: process.execPath, args: [ECHO, 'stdio'] });
  const httpId = await server({ name: 'echo-http', slug: 'echo-http', transport: 'STREAMABLE_HTTP', url: `http://127.0.0.1:${ports.echo}/mcp` });
  // The targets call `<server>__echo`: prefixed names, on builds with naming modes too (a BEFORE build may predate them).
  const { __type } = await gql('{ __type(name: "CreateGroupInput"){ inputFields { name } } }', {}, token);
  const naming = __type.inputFields.some((f: { name: string }) => f.name === 'toolNaming') ? { toolNaming: 'PREFIX_ALWAYS' } : {};
  for (const [slug, id] of [['bench-stdio', stdioId], ['bench-http', httpId]]) {
    const { createGroup } = await gql('mutation($i: CreateGroupInput!){ createGroup(input:$i){ id } }', { i: { name: slug, slug, ...naming } }, token);
    await gql('mutation($g: ID!, $s: ID!){ addServerToGroup(groupId:$g, serverId:$s){ id } }', { g: createGroup.id, s: id }, token);
  }
  const { createApiKey } = await gql('mutation{ createApiKey(input:{ name: "bench" }){ secret } }', {}, token);
  return createApiKey.secret as string;
}

interface ProductionHub {
  hub: ChildProcess;
  database: Database;
  /** The group's endpoint, tools `echo-stdio__echo` and `echo-http__echo`. */
  url: string;
  key: string;
  redisUrl: string;
}

/** A production-mode hub: PostgreSQL (a database of its own) + Redis, both upstreams in one group, one key with quotas. */
async function startProduction(redisUrl: string, cwd?: string): Promise<ProductionHub> {
  const database = await createDatabase(DATABASE_URL);
  try {
    await flushRedis(redisUrl);
    const port = await freePort();
    const hub = await startProductionHub(port, mkdtempSync(join(tmpdir(), 'mcphub-bench-production-')), database.url, redisUrl, 'info', HUB_NODE_ARGS, cwd);
    try {
      const { group, keys } = await setUpUsers(`http://127.0.0.1:${port}`, [
        { slug: 'echo-stdio', input: { name: 'echo-stdio', slug: 'echo-stdio', transport: 'STDIO', command: process.execPath, args: [ECHO, 'stdio'] } },
        { slug: 'echo-http', input: { name: 'echo-http', slug: 'echo-http', transport: 'STREAMABLE_HTTP', url: `http://127.0.0.1:${ports.echo}/mcp` } },
      ], 1);
      return { hub, database, url: `http://127.0.0.1:${port}/mcp/${group}`, key: keys[0], redisUrl };
    } catch (error) {
      await stop(hub);
      throw error;
    }
  } catch (error) {
    await database.drop();
    throw error;
  }
}

/** CPU of the serving process, its upstreams and this process, read over the measured calls only (not the warm-up). */
function cpuWindow(target: Target): LoadWindow & { used(): CpuUsed } {
  let meter: ReturnType<typeof cpuMeter> | undefined;
  let used: CpuUsed = { serving: 0, upstream: [], client: 0, machineBusyPercent: 0 };
  return {
    // The upstreams as the warm-up left them (it has started them all).
    onStart: () => void (meter = cpuMeter([target.pid], target.upstreamPids())),
    onEnd: () => void (used = meter!.read()),
    used: () => used,
  };
}

async function measure(target: Target, sessions: number): Promise<Sample> {
  if (target.hub?.redisUrl) await emptyWaitingUsage(target.hub.redisUrl);
  const window = cpuWindow(target);
  const result: LoadResult = await runLoad(target.url, target.headers, target.tool, sessions, DURATION_MS, window);
  if (target.hub) await assertRecordingKeptUp(target.hub.port, Boolean(target.hub.redisUrl), `${target.label} × ${sessions} sessions`);
  const cpu = window.used();
  const perCall = (micros: number) => micros / Math.max(1, result.calls);
  const sorted = result.latenciesMs.sort((x, y) => x - y);
  return {
    callsPerSec: result.calls / result.seconds,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    errors: result.errors,
    cpuUsPerCall: perCall(cpu.serving),
    upstreamCpuUsPerCall: perCall(cpu.upstream.reduce((sum, micros) => sum + micros, 0)),
    clientCpuUsPerCall: perCall(cpu.client),
    machineBusyPercent: cpu.machineBusyPercent,
    rssMb: rssMb(target.pid),
  };
}

async function main() {
  const children: ChildProcess[] = [];
  const databases: Database[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'mcphub-bench-'));
  ports.echo = await freePort();
  ports.hub = await freePort();
  ports.proxy = await freePort();
  ports.relay = await freePort();
  try {
    const echo = await start(process.execPath, [ECHO, 'http', String(ports.echo)], {}, /echo listening/);
    children.push(echo);
    const startHub = (port: number, dir: string, cwd?: string) =>
      start(process.execPath, hubArgs(HUB_NODE_ARGS), {
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: dir,
        ADMIN_EMAIL: 'bench@example.com',
        ADMIN_PASSWORD: 'bench-password-123',
        LOG_LEVEL: 'info',
        DATABASE_URL: '',
        REDIS_URL: '',
      }, /"status":"ok"|listening on|MCP Hub listening/i, 60_000, cwd);
    const hub = await startHub(ports.hub, dataDir);
    children.push(hub);
    const key = await setUpHub(ports.hub);
    let before: { pid: number; key: string } | undefined;
    if (BEFORE_DIR) {
      ports.before = await freePort();
      const child = await startHub(ports.before, mkdtempSync(join(tmpdir(), 'mcphub-bench-before-')), BEFORE_DIR);
      children.push(child);
      before = { pid: child.pid!, key: await setUpHub(ports.before) };
    }
    const wants = (id: string) => !ONLY || ONLY.includes(id);
    const bootProduction = async (redisUrl: string, cwd?: string) => {
      const booted = await startProduction(redisUrl, cwd);
      children.push(booted.hub);
      databases.push(booted.database);
      return booted;
    };
    const production = wants('g') || wants('h') ? await bootProduction(REDIS_URL) : undefined;
    const productionBefore = BEFORE_DIR && BEFORE_REDIS_URL && (wants('i') || wants('j')) ? await bootProduction(BEFORE_REDIS_URL, BEFORE_DIR) : undefined;
    const proxy = await start(process.execPath, [require.resolve('mcp-proxy/dist/bin/mcp-proxy.mjs'), '--port', String(ports.proxy), '--host', '127.0.0.1', '--server', 'stream', '--', process.execPath, ECHO, 'stdio'], {}, /starting server on port/i);
    children.push(proxy);
    const relay = await start(process.execPath, [join(import.meta.dirname, 'bare-relay.mjs'), String(ports.relay), '--', process.execPath, ECHO, 'stdio'], {}, /relay listening/);
    children.push(relay);
    await waitForPort(ports.proxy);

    const auth = { authorization: `Bearer ${key}` };
    const targets: Target[] = [
      { id: 'a', label: '(a) direct echo, Streamable HTTP (baseline)', url: `http://127.0.0.1:${ports.echo}/mcp`, tool: 'echo', headers: {}, pid: echo.pid!, upstreamPids: () => [] },
      { id: 'b', label: '(b) hub → echo over stdio', url: `http://127.0.0.1:${ports.hub}/mcp/bench-stdio`, tool: 'echo-stdio__echo', headers: auth, pid: hub.pid!, upstreamPids: () => childPids(hub.pid!), hub: { port: ports.hub } },
      { id: 'c', label: '(c) hub → echo over Streamable HTTP', url: `http://127.0.0.1:${ports.hub}/mcp/bench-http`, tool: 'echo-http__echo', headers: auth, pid: hub.pid!, upstreamPids: () => [echo.pid!], hub: { port: ports.hub } },
      { id: 'd', label: '(d) mcp-proxy → echo over stdio', url: `http://127.0.0.1:${ports.proxy}/mcp`, tool: 'echo', headers: {}, pid: proxy.pid!, upstreamPids: () => childPids(proxy.pid!) },
    ];
    if (before) {
      const headers = { authorization: `Bearer ${before.key}` };
      const beforePid = before.pid;
      targets.push(
        { id: 'e', label: '(e) hub BEFORE → echo over stdio', url: `http://127.0.0.1:${ports.before}/mcp/bench-stdio`, tool: 'echo-stdio__echo', headers, pid: before.pid, upstreamPids: () => childPids(beforePid), hub: { port: ports.before } },
        { id: 'f', label: '(f) hub BEFORE → echo over Streamable HTTP', url: `http://127.0.0.1:${ports.before}/mcp/bench-http`, tool: 'echo-http__echo', headers, pid: before.pid, upstreamPids: () => [echo.pid!], hub: { port: ports.before } },
      );
    }
    for (const [hub, ids, name] of [[production, ['g', 'h'], 'production hub'], [productionBefore, ['i', 'j'], 'production hub BEFORE']] as const) {
      if (!hub) continue;
      const headers = { authorization: `Bearer ${hub.key}` };
      const served = { port: new URL(hub.url).port, redisUrl: hub.redisUrl };
      targets.push(
        { id: ids[0], label: `(${ids[0]}) ${name} → echo over stdio`, url: hub.url, tool: 'echo-stdio__echo', headers, pid: hub.hub.pid!, upstreamPids: () => childPids(hub.hub.pid!), hub: served },
        { id: ids[1], label: `(${ids[1]}) ${name} → echo over Streamable HTTP`, url: hub.url, tool: 'echo-http__echo', headers, pid: hub.hub.pid!, upstreamPids: () => [echo.pid!], hub: served },
      );
    }
    targets.push({ id: 'k', label: '(k) bare relay → echo over stdio (the floor: no auth, no logs)', url: `http://127.0.0.1:${ports.relay}/mcp`, tool: 'echo', headers: {}, pid: relay.pid!, upstreamPids: () => childPids(relay.pid!) });
    if (ONLY) targets.splice(0, targets.length, ...targets.filter((t) => t.id === 'a' || ONLY.includes(t.id)));
    const samples = new Map<string, Sample[]>();
    for (let round = 0; round < ROUNDS; round++) {
      for (const sessions of SESSIONS) {
        const order = round % 2 === 0 ? targets : [...targets].reverse();
        for (const target of order) {
          const sample = await measure(target, sessions);
          const id = `${target.id}:${sessions}`;
          samples.set(id, [...(samples.get(id) ?? []), sample]);
          process.stderr.write(`round ${round + 1} ${target.id} x${sessions}: ${sample.callsPerSec.toFixed(0)} calls/s p50 ${sample.p50.toFixed(2)} ms cpu ${sample.cpuUsPerCall.toFixed(0)} + upstream ${sample.upstreamCpuUsPerCall.toFixed(0)} + client ${sample.clientCpuUsPerCall.toFixed(0)} µs/call, machine ${sample.machineBusyPercent.toFixed(0)} % busy\n`);
        }
      }
    }
    writeReport(targets, samples, await countedCalls(ports.hub), production && (await countedCalls(new URL(production.url).port)));
  } finally {
    for (const child of children.reverse()) await stop(child);
    for (const database of databases) await database.drop();
  }
}

/** The hub's own count of tool calls from /metrics (loopback, no token): shows the metered path was measured. */
async function countedCalls(port: number | string): Promise<number | undefined> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`).catch(() => undefined);
  if (!res?.ok) return undefined;
  const lines = (await res.text()).split('\n').filter((l) => l.startsWith('mcphub_tool_calls_total{'));
  return lines.reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

function writeReport(targets: Target[], samples: Map<string, Sample[]>, metered?: number, meteredProduction?: number) {
  const med = (id: string, f: (s: Sample) => number) => median((samples.get(id) ?? []).map(f));
  const lines = [
    '# MCP Hub benchmark',
    '',
    `${new Date().toISOString()} · Node ${process.version} · ${ROUNDS} rounds × ${DURATION_MS} ms per point, targets alternating; medians.`,
    ...(BEFORE_DIR ? [`(e)/(f) and (i)/(j): the hub built in ${BEFORE_DIR} (before the change), measured in the same run.`] : []),
    'Load generator: MCP SDK `Client` over Streamable HTTP, N sessions each calling an echo tool back to back.',
    'CPU µs/call, over the measured calls only: user+system CPU of the serving process (echo server for (a), hub for (b)/(c)/(e)–(j), mcp-proxy for (d));',
    'upstream: of what it passes the call on to (its stdio echo, or the echo HTTP server); client: of the load generator (this process).',
    'Their sum is the machine\'s CPU per call: with the cores busy, calls/s ≈ cores × busy ÷ that sum, so a target\'s ratio to (a) is bounded by the other processes\' share.',
    '(k): bench/bare-relay.mjs, a node:http server passing each call to one stdio echo and back, with nothing else: what any Node gateway pays.',
    '(b)–(f): embedded mode (PGlite, in-memory counters). (g)–(j): production mode (PostgreSQL + Redis), key with quotas charged per call.',
    ...(metered !== undefined ? [`The hub of (b)/(c) counted ${metered} tool calls in its /metrics (mcphub_tool_calls_total).`] : []),
    ...(meteredProduction !== undefined ? [`The hub of (g)/(h) counted ${meteredProduction} tool calls in its /metrics.`] : []),
    '',
    '| target | sessions | calls/s | × (a) | p50 ms | p95 ms | p99 ms | added p50 vs (a) ms | errors | CPU µs/call | upstream µs/call | client µs/call | machine busy % | RSS MB |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const sessions of SESSIONS) {
    const base = med(`a:${sessions}`, (s) => s.callsPerSec);
    const baseP50 = med(`a:${sessions}`, (s) => s.p50);
    for (const t of targets) {
      const id = `${t.id}:${sessions}`;
      const cps = med(id, (s) => s.callsPerSec);
      lines.push(
        `| ${t.label} | ${sessions} | ${cps.toFixed(0)} | ${(cps / base).toFixed(2)} | ${med(id, (s) => s.p50).toFixed(2)} | ${med(id, (s) => s.p95).toFixed(2)} | ${med(id, (s) => s.p99).toFixed(2)} | ${(med(id, (s) => s.p50) - baseP50).toFixed(2)} | ${(samples.get(id) ?? []).reduce((n, s) => n + s.errors, 0)} | ${med(id, (s) => s.cpuUsPerCall).toFixed(0)} | ${med(id, (s) => s.upstreamCpuUsPerCall).toFixed(0)} | ${med(id, (s) => s.clientCpuUsPerCall).toFixed(0)} | ${med(id, (s) => s.machineBusyPercent).toFixed(0)} | ${med(id, (s) => s.rssMb).toFixed(0)} |`,
      );
    }
  }
  if (BEFORE_DIR) {
    // Each round measures after and before back to back: the spread of their per-round ratio is the run's noise, and
    // a range that holds 1 shows no change this run can tell.
    lines.push('', '| after ÷ before | sessions | calls/s ratio | CPU µs/call ratio | CPU ratio, per round (min–max) |', '|---|---:|---:|---:|---:|');
    for (const [after, before, label] of [['b', 'e', 'stdio'], ['c', 'f', 'Streamable HTTP'], ['g', 'i', 'production, stdio'], ['h', 'j', 'production, Streamable HTTP']]) {
      for (const sessions of SESSIONS) {
        if (!samples.has(`${after}:${sessions}`) || !samples.has(`${before}:${sessions}`)) continue;
        const ratio = (f: (s: Sample) => number) => (med(`${after}:${sessions}`, f) / med(`${before}:${sessions}`, f)).toFixed(3);
        const befores = samples.get(`${before}:${sessions}`)!;
        const perRound = samples.get(`${after}:${sessions}`)!.map((s, i) => s.cpuUsPerCall / befores[i].cpuUsPerCall);
        const range = `${Math.min(...perRound).toFixed(2)}–${Math.max(...perRound).toFixed(2)}`;
        lines.push(`| (${after}) ÷ (${before}) ${label} | ${sessions} | ${ratio((s) => s.callsPerSec)} | ${ratio((s) => s.cpuUsPerCall)} | ${range} |`);
      }
    }
  }
  const report = lines.join('\n') + '\n';
  mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
  writeFileSync(join(import.meta.dirname, 'results', 'latest.md'), report);
  process.stdout.write(report);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

// npm run loadtest [-- --duration <seconds>]: 1,000 concurrent agent sessions (50 users × 20) against one hub in
// production mode (PostgreSQL + Redis), mixed tools/list and tools/call with think time. Reports p50/p95/p99 per
// method, errors by kind, throughput, the hub's RSS and CPU (from /proc), and writes bench/results/loadtest-latest.md.
// Exits 1 when the target (p95 < 300 ms, 0 errors) is missed. Loopback only.
// Environment (defaults): LOADTEST_DATABASE_URL (postgres://postgres@127.0.0.1:5432/postgres: a database of its own
// is created and dropped there), LOADTEST_REDIS_URL (redis://127.0.0.1:6379/9: FLUSHED), LOADTEST_DURATION_S (60),
// LOADTEST_USERS (50), LOADTEST_SESSIONS_PER_USER (20), LOADTEST_THINK_MS (500-2000), LOADTEST_LIST_SHARE (0.2),
// LOADTEST_RAMP_S (20), LOADTEST_UPSTREAMS (stdio,http), LOADTEST_EVENT_STREAMS (1), LOADTEST_HUB_LOG_LEVEL (info),
// LOADTEST_HUB_NODE_ARGS (none; e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the hub under load),
// LOADTEST_HUB_DIR (this checkout; another, built one to load-test its hub in the same conditions).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { ChildProcess } from 'node:child_process';
import { runAgents, type AgentPlan } from './loadtest-agents.js';
import { createDatabase, flushRedis, scrapeHubLoop, setUpUsers, startHub, type Database, type HubLoopFigures, type Upstream } from './loadtest-hub.js';
import { assertRecordingKeptUp } from './usage-backlog.js';
import { summarize, type ProcessFigures } from './loadtest-report.js';
import { childPids, cpuMeter, rssMb, start, stop } from './processes.js';
import { freePort } from '../test/support/upstreams.js';

const ECHO = join(import.meta.dirname, 'echo-server.mjs');

function setting(name: string, fallback: string): string {
  return process.env[`LOADTEST_${name}`] || fallback;
}

/** `--duration <seconds>` wins over LOADTEST_DURATION_S. */
function durationSetting(): string {
  const flag = process.argv.indexOf('--duration');
  return flag > 0 ? (process.argv[flag + 1] ?? '') : setting('DURATION_S', '60');
}

function positive(name: string, raw: string): number {
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
  return value;
}

function thinkRange(): [number, number] {
  const raw = setting('THINK_MS', '500-2000');
  const [min, max] = raw.split('-').map(Number);
  if (!(min >= 0 && max >= min)) throw new Error(`LOADTEST_THINK_MS must be "<min>-<max>" in ms, got "${raw}"`);
  return [min, max];
}

/** Samples a process's RSS every second: the peak during the window. */
function watchRss(pid: number): { peak(): number; stop(): void } {
  let peak = rssMb(pid);
  const timer = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 1000);
  return { peak: () => peak, stop: () => clearInterval(timer) };
}

async function main() {
  const durationMs = positive('--duration / LOADTEST_DURATION_S', durationSetting()) * 1000;
  const users = Math.floor(positive('LOADTEST_USERS', setting('USERS', '50')));
  const sessionsPerKey = Math.floor(positive('LOADTEST_SESSIONS_PER_USER', setting('SESSIONS_PER_USER', '20')));
  const listShare = Number(setting('LIST_SHARE', '0.2'));
  if (!(listShare >= 0 && listShare <= 1)) throw new Error('LOADTEST_LIST_SHARE must be between 0 and 1');
  const kinds = setting('UPSTREAMS', 'stdio,http').split(',').filter(Boolean);
  if (!kinds.length || kinds.some((k) => k !== 'stdio' && k !== 'http')) throw new Error('LOADTEST_UPSTREAMS must list stdio and/or http');
  const thinkMs = thinkRange();
  const rampMs = positive('LOADTEST_RAMP_S', setting('RAMP_S', '20')) * 1000;
  const databaseUrl = setting('DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/postgres');
  const redisUrl = setting('REDIS_URL', 'redis://127.0.0.1:6379/9');

  const children: ChildProcess[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'mcphub-loadtest-'));
  let database: Database | undefined;
  try {
    database = await createDatabase(databaseUrl);
    await flushRedis(redisUrl);
    const upstreams: Upstream[] = [];
    if (kinds.includes('stdio')) {
      upstreams.push({ slug: 'echo-stdio', input: { name: 'echo-stdio', slug: 'echo-stdio', transport: 'STDIO', command: process.execPath, args: [ECHO, 'stdio'] } });
    }
    if (kinds.includes('http')) {
      const echoPort = await freePort();
      children.push(await start(process.execPath, [ECHO, 'http', String(echoPort)], {}, /echo listening/));
      upstreams.push({ slug: 'echo-http', input: { name: 'echo-http', slug: 'echo-http', transport: 'STREAMABLE_HTTP', url: `http://127.0.0.1:${echoPort}/mcp` } });
    }
    const port = await freePort();
    const hubUrl = `http://127.0.0.1:${port}`;
    const hub = await startHub(port, dataDir, database.url, redisUrl, setting('HUB_LOG_LEVEL', 'info'), setting('HUB_NODE_ARGS', '').split(' ').filter(Boolean), process.env.LOADTEST_HUB_DIR || undefined);
    children.push(hub);
    let exited: string | undefined;
    hub.once('exit', (code, signal) => (exited = `the hub exited during the run (code ${code}, signal ${signal})`));
    const pid = hub.pid!;
    const httpEcho = kinds.includes('http') ? children[0].pid : undefined;

    const { group, keys } = await setUpUsers(hubUrl, upstreams, users);
    const plan: AgentPlan = {
      url: `${hubUrl}/mcp/${group}`,
      apiKeys: keys,
      sessionsPerKey,
      tools: upstreams.map((u) => `${u.slug}__echo`),
      listShare,
      thinkMs,
      rampMs,
      durationMs,
      eventStreams: setting('EVENT_STREAMS', '1') !== '0',
    };
    const figures: ProcessFigures = { rssIdleMb: rssMb(pid), rssOpenMb: 0, rssPeakMb: 0, rssEndMb: 0, cpuPercent: 0, cpuUsPerRequest: 0 };
    const loadBefore = loadavg();
    console.log(`loadtest: ${users} users × ${sessionsPerKey} sessions on ${plan.url} (${plan.tools.join(', ')}), window ${durationMs / 1000} s, hub pid ${pid}, load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')}`);

    // The window's figures are taken when it ends, not when the last session has finished its think and closed.
    const loop = monitorEventLoopDelay({ resolution: 10 });
    let generator = { cpuPercent: 0, eventLoopDelayP99Ms: 0 };
    let windowEnded!: Promise<void>;
    let loopStart: Promise<HubLoopFigures> | undefined;
    let loopEnd: Promise<HubLoopFigures> | undefined;
    const results = await runAgents(plan, () => {
      figures.rssOpenMb = rssMb(pid);
      console.log(`loadtest: ${plan.apiKeys.length * sessionsPerKey} sessions open, hub RSS ${figures.rssOpenMb.toFixed(0)} MB; measuring for ${durationMs / 1000} s`);
      loop.enable();
      loopStart = scrapeHubLoop(hubUrl);
      // The upstreams: the hub's stdio children (started by the warm-up) and the HTTP echo server.
      const cpu = cpuMeter([pid], [...childPids(pid), ...(httpEcho ? [httpEcho] : [])]);
      const wall = performance.now();
      const rss = watchRss(pid);
      // Rejects (and the run cleans up) if the hub is gone by then: its /proc entry is what is read.
      windowEnded = new Promise((resolve, reject) =>
        setTimeout(() => {
          if (exited) return reject(new Error(exited));
          const wallUs = (performance.now() - wall) * 1000;
          const used = cpu.read();
          rss.stop();
          loop.disable();
          loopEnd = scrapeHubLoop(hubUrl);
          figures.rssPeakMb = rss.peak();
          figures.rssEndMb = rssMb(pid);
          figures.cpuPercent = (used.serving / wallUs) * 100;
          figures.machineBusyPercent = used.machineBusyPercent;
          figures.upstreamCpuPercent = used.upstream.map((micros) => (micros / wallUs) * 100);
          figures.cpuUsPerRequest = used.serving; // divided by the requests below
          generator = { cpuPercent: (used.client / wallUs) * 100, eventLoopDelayP99Ms: loop.percentile(99) / 1e6 };
          resolve();
        }, durationMs),
      );
    });
    await windowEnded;
    figures.cpuUsPerRequest /= Math.max(1, results.measuredRequests);
    const [before, after] = await Promise.all([loopStart!, loopEnd!]);
    figures.loop = { lagP99Ms: after.lagP99Ms, lagMaxMs: after.lagMaxMs, gcSeconds: after.gcSeconds - before.gcSeconds };
    if (exited) results.errors.set(exited, 1);
    // A hub that kept calls in memory instead of Redis served them more cheaply than production would.
    await assertRecordingKeptUp(port, true, 'the load-tested hub').catch((error: Error) => results.errors.set(error.message, 1));

    const { markdown, passed } = summarize(plan, results, figures, generator, {
      users,
      upstreams: upstreams.map((u) => `${u.slug} (${u.input.transport})`),
      loadBefore,
      loadAfter: loadavg(),
      cores: cpus().length,
    });
    mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
    writeFileSync(join(import.meta.dirname, 'results', 'loadtest-latest.md'), markdown);
    process.stdout.write(markdown);
    process.exitCode = passed ? 0 : 1;
  } finally {
    for (const child of children.reverse()) await stop(child);
    await database?.drop();
    await flushRedis(redisUrl).catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

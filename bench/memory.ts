// npm run bench:memory: the hub's resident memory (RSS, from /proc) in both modes, against the targets:
// idle after start, with 1,000 idle agent sessions open, and at the peak of 64 sessions calling a tool back to back.
// Embedded mode is measured on a fresh DATA_DIR (the first start creates the cluster) and again after a restart.
// Environment (defaults): MEMORY_BENCH_DATABASE_URL (postgres://postgres@127.0.0.1:5432/postgres: a database of its
// own is created and dropped there), MEMORY_BENCH_REDIS_URL (redis://127.0.0.1:6379/4: FLUSHED),
// MEMORY_BENCH_MODES (embedded,production), MEMORY_BENCH_HUB_NODE_ARGS (none; node/V8 flags for the hub). Writes bench/results/memory-latest.md. Loopback only.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { Agent } from 'undici';
import { AgentSession } from './loadtest-agents.js';
import { createDatabase, flushRedis, setUpUsers, startHub } from './loadtest-hub.js';
import { runLoad } from './load.js';
import { cpuMicros, rssMb, stop } from './processes.js';
import { freePort } from '../test/support/upstreams.js';

const ECHO = join(import.meta.dirname, 'echo-server.mjs');
const IDLE_SESSIONS = 1_000;
/** Keys the idle sessions are spread over (a key may hold 100 sessions by default: MCP_MAX_SESSIONS_PER_KEY). */
const KEYS = 10;
const LOAD_SESSIONS = 64;
/** Idle figures are read twice: soon after the last step, and once V8's memory reducer has run (a full GC some 10–25 s
 * after allocation stops, which returns the garbage of the step: measured here, a forced GC then frees nothing more). */
const EARLY_MS = 5_000;
const SETTLED_MS = 30_000;
const HUB_NODE_ARGS = process.env.MEMORY_BENCH_HUB_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
const TOOL = 'echo-stdio__echo';

type Mode = 'embedded' | 'production';
const TARGETS_MB: Record<Mode, { idle?: number; load: number }> = { embedded: { idle: 250, load: 300 }, production: { load: 200 } };
const SESSIONS_TARGET_MB = 30;

interface Figures {
  mode: Mode;
  idleFirstMb: Idle;
  idleRestartMb?: Idle;
  idleSessionsMb: Idle;
  loadPeakMb: number;
  loadCalls: number;
  loadErrors: number;
  loadCpuUsPerCall: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Idle {
  early: number;
  settled: number;
}

/** RSS after EARLY_MS and after SETTLED_MS of idleness. */
async function idleRss(hub: ChildProcess): Promise<Idle> {
  await sleep(EARLY_MS);
  const early = rssMb(hub.pid!);
  await sleep(SETTLED_MS - EARLY_MS);
  return { early, settled: rssMb(hub.pid!) };
}

/** One session's tools/list and tools/call: the stdio upstream is started and the catalog built, as on a hub in use. */
async function warm(url: string, key: string, dispatcher: Agent): Promise<void> {
  const session = new AgentSession({ url, eventStreams: false }, key, dispatcher);
  await session.open();
  await session.call('tools/list', {});
  await session.call('tools/call', { name: TOOL, arguments: { message: 'warm' } });
  await session.close();
}

async function withIdleSessions<T>(url: string, keys: string[], dispatcher: Agent, measure: () => Promise<T>): Promise<T> {
  const sessions = Array.from({ length: IDLE_SESSIONS }, (_, i) => new AgentSession({ url, eventStreams: true }, keys[i % keys.length], dispatcher));
  for (let i = 0; i < sessions.length; i += 50) await Promise.all(sessions.slice(i, i + 50).map((s) => s.open()));
  try {
    return await measure();
  } finally {
    await Promise.all(sessions.map((s) => s.close()));
  }
}

async function loadPeak(hub: ChildProcess, url: string, key: string): Promise<{ peak: number; calls: number; errors: number; cpuUsPerCall: number }> {
  let peak = rssMb(hub.pid!);
  const cpuBefore = cpuMicros(hub.pid!);
  const timer = setInterval(() => (peak = Math.max(peak, rssMb(hub.pid!))), 250);
  try {
    const result = await runLoad(url, { authorization: `Bearer ${key}` }, TOOL, LOAD_SESSIONS, 10_000);
    // Per call including the sessions' warm-up calls (20 each), as bench/run.ts counts.
    return { peak, calls: result.calls, errors: result.errors, cpuUsPerCall: (cpuMicros(hub.pid!) - cpuBefore) / (result.calls + LOAD_SESSIONS * 20) };
  } finally {
    clearInterval(timer);
  }
}

async function measureMode(mode: Mode): Promise<Figures> {
  const dataDir = mkdtempSync(join(tmpdir(), `mcphub-memory-${mode}-`));
  const database = mode === 'production' ? await createDatabase(process.env.MEMORY_BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres') : undefined;
  const redisUrl = mode === 'production' ? process.env.MEMORY_BENCH_REDIS_URL || 'redis://127.0.0.1:6379/4' : '';
  if (redisUrl) await flushRedis(redisUrl);
  const dispatcher = new Agent({ keepAliveTimeout: 30_000, connections: null });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/mcp/loadtest`;
  const boot = () => startHub(port, dataDir, database?.url ?? '', redisUrl, 'info', HUB_NODE_ARGS);
  let hub: ChildProcess | undefined;
  try {
    hub = await boot();
    const { keys } = await setUpUsers(`http://127.0.0.1:${port}`, [{ slug: 'echo-stdio', input: { name: 'echo-stdio', slug: 'echo-stdio', transport: 'STDIO', command: process.execPath, args: [ECHO, 'stdio'] } }], KEYS);
    const key = keys[0];
    await warm(url, key, dispatcher);
    const idleFirstMb = await idleRss(hub);
    let idleRestartMb: Idle | undefined;
    if (mode === 'embedded') {
      await stop(hub);
      hub = await boot();
      await warm(url, key, dispatcher);
      idleRestartMb = await idleRss(hub);
    }
    const before = await idleRss(hub);
    const withSessions = await withIdleSessions(url, keys, dispatcher, () => idleRss(hub!));
    // On a fresh process: the sessions' memory, freed but not yet returned, would count as the load's.
    await stop(hub);
    hub = await boot();
    await warm(url, key, dispatcher);
    const load = await loadPeak(hub, url, key);
    return { mode, idleFirstMb, idleRestartMb, idleSessionsMb: { early: withSessions.early - before.early, settled: withSessions.settled - before.settled }, loadPeakMb: load.peak, loadCalls: load.calls, loadErrors: load.errors, loadCpuUsPerCall: load.cpuUsPerCall };
  } finally {
    await stop(hub);
    await dispatcher.close();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The targets; a figure without one is reported as measured. */
const verdict = (value: number, target: number | undefined) => (target === undefined ? '' : value <= target ? ` (target ≤ ${target}: met)` : ` (target ≤ ${target}: NOT met)`);
/** The settled figure, judged; the early one beside it. */
const idle = (value: Idle, target: number | undefined) => `${value.settled.toFixed(0)}${verdict(value.settled, target)}; ${value.early.toFixed(0)} at ${EARLY_MS / 1000} s`;

function report(rows: Figures[]): string {
  const lines = [
    '# MCP Hub memory benchmark',
    '',
    `${new Date().toISOString()} · Node ${process.version} · hub RSS from /proc (the stdio echo server it starts is a process of its own, not counted).`,
    `Idle: ${SETTLED_MS / 1000} s after the last step (V8's memory reducer has run; judged against the targets), and ${EARLY_MS / 1000} s after it; one stdio upstream started.`,
    `Sessions: ${IDLE_SESSIONS} 2025-era sessions with their GET event streams, over ${KEYS} keys. Load: ${LOAD_SESSIONS} SDK sessions calling the echo tool back to back for 10 s, RSS sampled every 250 ms.`,
    '',
    '| mode | idle, first start (MB) | idle, after a restart (MB) | +1,000 idle sessions (MB) | peak at 64 sessions (MB) | calls / errors under load | hub CPU µs/call |',
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    const t = TARGETS_MB[r.mode];
    lines.push(
      `| ${r.mode} | ${idle(r.idleFirstMb, t.idle)} | ${r.idleRestartMb === undefined ? '—' : idle(r.idleRestartMb, t.idle)} | ` +
        `${idle(r.idleSessionsMb, SESSIONS_TARGET_MB)} | ${r.loadPeakMb.toFixed(0)}${verdict(r.loadPeakMb, t.load)} | ${r.loadCalls} / ${r.loadErrors} | ${r.loadCpuUsPerCall.toFixed(0)} |`,
    );
  }
  return lines.join('\n') + '\n';
}

async function main() {
  const modes = (process.env.MEMORY_BENCH_MODES ?? 'embedded,production').split(',') as Mode[];
  const rows: Figures[] = [];
  for (const mode of modes) {
    if (mode !== 'embedded' && mode !== 'production') throw new Error(`MEMORY_BENCH_MODES: unknown mode "${mode}" (embedded, production)`);
    rows.push(await measureMode(mode));
  }
  const text = report(rows);
  mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
  writeFileSync(join(import.meta.dirname, 'results', 'memory-latest.md'), text);
  process.stdout.write(text);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

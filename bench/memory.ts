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
const SETTLE_MS = 5_000;
const HUB_NODE_ARGS = process.env.MEMORY_BENCH_HUB_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
const TOOL = 'echo-stdio__echo';

type Mode = 'embedded' | 'production';
const TARGETS_MB: Record<Mode, { idle?: number; load: number }> = { embedded: { idle: 250, load: 300 }, production: { load: 200 } };
const SESSIONS_TARGET_MB = 30;

interface Figures {
  mode: Mode;
  idleFirstMb: number;
  idleRestartMb?: number;
  idleSessionsMb: number;
  loadPeakMb: number;
  loadCalls: number;
  loadErrors: number;
  loadCpuUsPerCall: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** RSS once the hub has had a moment to finish what the last step started (timers, GC). */
async function settledRss(hub: ChildProcess): Promise<number> {
  await sleep(SETTLE_MS);
  return rssMb(hub.pid!);
}

/** One session's tools/list and tools/call: the stdio upstream is started and the catalog built, as on a hub in use. */
async function warm(url: string, key: string, dispatcher: Agent): Promise<void> {
  const session = new AgentSession({ url, eventStreams: false }, key, dispatcher);
  await session.open();
  await session.call('tools/list', {});
  await session.call('tools/call', { name: TOOL, arguments: { message: 'warm' } });
  await session.close();
}

async function withIdleSessions(url: string, keys: string[], dispatcher: Agent, measure: () => Promise<number>): Promise<number> {
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
    const idleFirstMb = await settledRss(hub);
    let idleRestartMb: number | undefined;
    if (mode === 'embedded') {
      await stop(hub);
      hub = await boot();
      await warm(url, key, dispatcher);
      idleRestartMb = await settledRss(hub);
    }
    const before = await settledRss(hub);
    const withSessions = await withIdleSessions(url, keys, dispatcher, () => settledRss(hub!));
    // On a fresh process: the sessions' memory, freed but not yet returned, would count as the load's.
    await stop(hub);
    hub = await boot();
    await warm(url, key, dispatcher);
    const load = await loadPeak(hub, url, key);
    return { mode, idleFirstMb, idleRestartMb, idleSessionsMb: withSessions - before, loadPeakMb: load.peak, loadCalls: load.calls, loadErrors: load.errors, loadCpuUsPerCall: load.cpuUsPerCall };
  } finally {
    await stop(hub);
    await dispatcher.close();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The targets; a figure without one is reported as measured. */
const verdict = (value: number, target: number | undefined) => (target === undefined ? '' : value <= target ? ` (target ≤ ${target}: met)` : ` (target ≤ ${target}: NOT met)`);

function report(rows: Figures[]): string {
  const lines = [
    '# MCP Hub memory benchmark',
    '',
    `${new Date().toISOString()} · Node ${process.version} · hub RSS from /proc (the stdio echo server it starts is a process of its own, not counted).`,
    `Idle: ${SETTLE_MS / 1000} s after the last step, one stdio upstream started. Sessions: ${IDLE_SESSIONS} 2025-era sessions with their GET event streams, over ${KEYS} keys. Load: ${LOAD_SESSIONS} SDK sessions calling the echo tool back to back for 10 s, RSS sampled every 250 ms.`,
    '',
    '| mode | idle, first start (MB) | idle, after a restart (MB) | +1,000 idle sessions (MB) | peak at 64 sessions (MB) | calls / errors under load | hub CPU µs/call |',
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    const t = TARGETS_MB[r.mode];
    lines.push(
      `| ${r.mode} | ${r.idleFirstMb.toFixed(0)}${verdict(r.idleFirstMb, t.idle)} | ${r.idleRestartMb === undefined ? '—' : r.idleRestartMb.toFixed(0) + verdict(r.idleRestartMb, t.idle)} | ` +
        `${r.idleSessionsMb.toFixed(0)}${verdict(r.idleSessionsMb, SESSIONS_TARGET_MB)} | ${r.loadPeakMb.toFixed(0)}${verdict(r.loadPeakMb, t.load)} | ${r.loadCalls} / ${r.loadErrors} | ${r.loadCpuUsPerCall.toFixed(0)} |`,
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

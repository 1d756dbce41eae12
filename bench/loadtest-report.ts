// The load test's markdown summary (bench/results/loadtest-latest.md) and its verdict against the target.
import type { AgentPlan, AgentResults, Method } from './loadtest-agents.js';
import { percentile } from './load.js';

export const TARGET_P95_MS = 300;

export interface ProcessFigures {
  rssIdleMb: number;
  rssOpenMb: number;
  rssPeakMb: number;
  rssEndMb: number;
  /** CPU of the hub process during the measured window, in % of one core (200 % = both cores here). */
  cpuPercent: number;
  cpuUsPerRequest: number;
  /** All cores' busy time during the window, % of the machine (everyone's processes, this run's included). */
  machineBusyPercent?: number;
  /** Each upstream process (stdio children of the hub, then the HTTP echo server), % of one core in the window. */
  upstreamCpuPercent?: number[];
  /** From the hub's /metrics: event-loop delay during the window and GC time spent in it. */
  loop?: { lagP99Ms: number; lagMaxMs: number; gcSeconds: number };
}

export interface GeneratorFigures {
  cpuPercent: number;
  eventLoopDelayP99Ms: number;
}

export interface RunFacts {
  users: number;
  upstreams: string[];
  loadBefore: number[];
  loadAfter: number[];
  cores: number;
}

const METHODS: Method[] = ['initialize', 'tools/list', 'tools/call'];
const ms = (n: number) => (Number.isNaN(n) ? '-' : n.toFixed(1));

/** Rows per method; `passed` means the requests' p95 is under the target and nothing failed. */
export function summarize(plan: AgentPlan, results: AgentResults, hub: ProcessFigures, generator: GeneratorFigures, facts: RunFacts): { markdown: string; passed: boolean } {
  const errorCount = [...results.errors.values()].reduce((a, b) => a + b, 0);
  const requests = [...results.latenciesMs['tools/list'], ...results.latenciesMs['tools/call']].sort((a, b) => a - b);
  const p95 = percentile(requests, 95);
  const passed = errorCount === 0 && p95 < TARGET_P95_MS && results.opened === plan.apiKeys.length * plan.sessionsPerKey;
  const sessions = plan.apiKeys.length * plan.sessionsPerKey;
  const lines = [
    '# MCP Hub load test',
    '',
    `${new Date().toISOString()} · Node ${process.version} · ${facts.cores} cores · load average before ${facts.loadBefore.map((l) => l.toFixed(2)).join(' / ')}, after ${facts.loadAfter.map((l) => l.toFixed(2)).join(' / ')} (1/5/15 min; the machine is shared)`,
    '',
    `One hub in production mode (PostgreSQL + Redis, NODE_ENV=production) on loopback; upstreams in its group: ${facts.upstreams.join(', ')} (bench/echo-server.mjs).`,
    `${facts.users} users, one API key each (quotas high enough never to refuse, so every tools/call is charged in Redis); ${plan.sessionsPerKey} sessions per key = ${sessions} concurrent 2025-era Streamable HTTP sessions` +
      ` (raw HTTP: initialize, notifications/initialized, ${plan.eventStreams ? 'the GET event stream held open, ' : ''}DELETE at the end), opened over ${(plan.rampMs / 1000).toFixed(0)} s.`,
    `Each session then loops: think ${plan.thinkMs[0]}–${plan.thinkMs[1]} ms (uniform), then tools/list (${(plan.listShare * 100).toFixed(0)} %) or tools/call (alternating the upstreams), for a ${(plan.durationMs / 1000).toFixed(0)} s measured window.`,
    '',
    `**Target (issue 12): p95 < ${TARGET_P95_MS} ms and 0 errors — ${passed ? 'MET' : 'NOT MET'}** (p95 of tools/list + tools/call: ${ms(p95)} ms, errors: ${errorCount}, sessions opened: ${results.opened}/${sessions}).`,
    '',
    '| method | requests | p50 ms | p95 ms | p99 ms | max ms | errors |',
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const method of METHODS) {
    const sorted = [...results.latenciesMs[method]].sort((a, b) => a - b);
    const errors = [...results.errors].filter(([kind]) => kind.startsWith(`${method}:`)).reduce((n, [, c]) => n + c, 0);
    lines.push(`| ${method}${method === 'initialize' ? ' (ramp)' : ''} | ${sorted.length} | ${ms(percentile(sorted, 50))} | ${ms(percentile(sorted, 95))} | ${ms(percentile(sorted, 99))} | ${ms(sorted.at(-1) ?? NaN)} | ${errors} |`);
  }
  lines.push(
    `| tools/list + tools/call | ${requests.length} | ${ms(percentile(requests, 50))} | ${ms(p95)} | ${ms(percentile(requests, 99))} | ${ms(requests.at(-1) ?? NaN)} | ${errorCount - [...results.errors].filter(([k]) => k.startsWith('initialize:')).reduce((n, [, c]) => n + c, 0)} |`,
    '',
    `Throughput in the window: ${(results.measuredRequests / results.measuredSeconds).toFixed(0)} requests/s (${results.measuredRequests} in ${results.measuredSeconds.toFixed(1)} s).`,
    '',
    '| hub process (/proc) | value |',
    '|---|---:|',
    `| RSS idle, before the sessions (MB) | ${hub.rssIdleMb.toFixed(0)} |`,
    `| RSS with ${sessions} sessions open, before the window (MB) | ${hub.rssOpenMb.toFixed(0)} |`,
    `| RSS peak during the window (MB) | ${hub.rssPeakMb.toFixed(0)} |`,
    `| RSS at the end of the window (MB) | ${hub.rssEndMb.toFixed(0)} |`,
    `| CPU during the window (% of one core) | ${hub.cpuPercent.toFixed(0)} |`,
    `| CPU per request (µs) | ${hub.cpuUsPerRequest.toFixed(0)} |`,
    ...(hub.loop
      ? [
          `| event-loop delay p99 / max in the window (ms, its /metrics) | ${hub.loop.lagP99Ms.toFixed(1)} / ${hub.loop.lagMaxMs.toFixed(1)} |`,
          `| GC time in the window (s, its /metrics) | ${hub.loop.gcSeconds.toFixed(2)} |`,
        ]
      : []),
    '',
    `The whole machine during the window: ${hub.machineBusyPercent?.toFixed(0) ?? '-'} % busy (all ${facts.cores} cores, every process on it); the hub used ${(hub.cpuPercent / facts.cores).toFixed(0)} % of the machine.`,
    '',
    `Upstream processes during the window (% of one core each; a single-threaded upstream near 100 % would be the bottleneck): ${(hub.upstreamCpuPercent ?? []).map((c) => c.toFixed(0)).join(', ')}.`,
    '',
    `Load generator (a separate process from the hub): ${generator.cpuPercent.toFixed(0)} % of one core, event-loop delay p99 ${generator.eventLoopDelayP99Ms.toFixed(1)} ms` +
      ' (a large delay would inflate the latencies above: the generator would be the bottleneck).',
  );
  const seconds = results.perSecondMs.map((xs = []) => {
    const sorted = [...xs].sort((a, b) => a - b);
    return `${sorted.length}:${ms(percentile(sorted, 95))}`;
  });
  lines.push('', `Per second of the window, requests started : their p95 ms — ${seconds.join(' · ')}`);
  if (results.errors.size) {
    lines.push('', '| error | count |', '|---|---:|');
    for (const [kind, count] of [...results.errors].sort((a, b) => b[1] - a[1])) lines.push(`| ${kind.replaceAll('|', '\\|')} | ${count} |`);
  }
  return { markdown: lines.join('\n') + '\n', passed };
}

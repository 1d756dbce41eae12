import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { BoundedLabel, HistogramCounts, HUB_CONFIG, METRIC_PREFIX, MetricsRegistry, registerCollected, type HubConfig, type LabelValues } from '#core';
import { ReplicaBalancer } from '../balancing/replica-balancer.js';
import { SessionRegistry } from '../session/session-registry.js';
import { UpstreamPool } from '../upstream/upstream-pool.js';
import type { CallOutcome } from './call-outcome.js';

export type QuotaRefusal = 'per_minute' | 'per_day' | 'store_unavailable';

/** Seconds; from a fast local call (~1 ms) to the default upstream timeout (60 s). */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

const CALLS = `${METRIC_PREFIX}tool_calls_total`;
const LATENCY = `${METRIC_PREFIX}tool_call_duration_seconds`;

/**
 * The data plane's metrics. A call adds to plain numbers (two Map lookups, a bucket search) that prom-client reads
 * at scrape time; gauges read the session registry, the upstream pool and the breakers at scrape time too, so they
 * cost nothing between scrapes. Rare events (quota refusals, restarts) use prom-client counters directly.
 */
@Injectable()
export class GatewayMetrics {
  private readonly enabled: boolean;
  private readonly tools: BoundedLabel;
  private readonly calls = new Map<string, { labels: LabelValues; count: number }>();
  private readonly latency = new Map<string, { labels: LabelValues; counts: HistogramCounts }>();
  private readonly quotaRefusals: Counter<'group' | 'reason'>;
  private readonly restarts: Counter<'server' | 'replica'>;

  constructor(
    metrics: MetricsRegistry,
    @Inject(HUB_CONFIG) config: HubConfig,
    sessions: SessionRegistry,
    pool: UpstreamPool,
    balancer: ReplicaBalancer,
  ) {
    this.enabled = metrics.enabled;
    this.tools = new BoundedLabel(config.metrics.maxToolLabels);
    const registers = [metrics.registry];
    const p = METRIC_PREFIX;
    registerCollected(metrics.registry, {
      name: CALLS,
      help: 'Tool calls by group, server, tool and outcome',
      type: 'counter',
      samples: () => [...this.calls.values()].map(({ labels, count }) => ({ labels, value: count })),
    });
    registerCollected(metrics.registry, {
      name: LATENCY,
      help: 'Tool call latency through the hub, in seconds',
      type: 'histogram',
      samples: () => [...this.latency.values()].flatMap(({ labels, counts }) => counts.samples(LATENCY, labels)),
    });
    this.quotaRefusals = new Counter({ name: `${p}quota_refusals_total`, help: 'Tool calls refused by API key quotas', labelNames: ['group', 'reason'], registers });
    this.restarts = new Counter({ name: `${p}upstream_restarts_total`, help: 'Upstream replicas started again after a crash, a failed start or a restart request', labelNames: ['server', 'replica'], registers });
    pool.onRestart((server, replica) => this.enabled && this.restarts.inc({ server, replica }));

    new Gauge({
      name: `${p}mcp_sessions`,
      help: 'Open agent sessions on this hub by group and transport',
      labelNames: ['group', 'transport'],
      registers,
      collect() {
        this.reset();
        const counts = new Map<string, { group: string; transport: string; n: number }>();
        for (const s of sessions.all()) {
          const key = `${s.groupSlug}\n${s.transport}`;
          const entry = counts.get(key) ?? counts.set(key, { group: s.groupSlug, transport: s.transport, n: 0 }).get(key)!;
          entry.n += 1;
        }
        for (const { group, transport, n } of counts.values()) this.set({ group, transport }, n);
      },
    });
    new Gauge({
      name: `${p}upstream_connected`,
      help: '1 while the hub holds a live connection to the replica',
      labelNames: ['server', 'replica'],
      registers,
      collect() {
        this.reset();
        for (const r of pool.snapshot()) this.set({ server: r.serverSlug, replica: r.replicaName }, r.connected ? 1 : 0);
      },
    });
    new Gauge({
      name: `${p}upstream_forwarded`,
      help: '1 while the hub reaches the replica (a ONE_HUB server) through the hub that runs it',
      labelNames: ['server', 'replica'],
      registers,
      collect() {
        this.reset();
        for (const r of pool.snapshot()) if (r.forwarded) this.set({ server: r.serverSlug, replica: r.replicaName }, 1);
      },
    });
    new Gauge({
      name: `${p}upstream_circuit_open`,
      help: '1 while the replica is skipped after repeated transport failures (circuit open or half-open)',
      labelNames: ['server', 'replica'],
      registers,
      collect() {
        this.reset();
        for (const r of pool.snapshot()) this.set({ server: r.serverSlug, replica: r.replicaName }, balancer.breaker(r.replicaId).current === 'CLOSED' ? 0 : 1);
      },
    });
    new Gauge({
      name: `${p}stdio_processes`,
      help: 'Running stdio upstream processes by server',
      labelNames: ['server'],
      registers,
      collect() {
        this.reset();
        const counts = new Map<string, number>();
        for (const r of pool.snapshot()) if (r.pid !== null) counts.set(r.serverSlug, (counts.get(r.serverSlug) ?? 0) + 1);
        for (const [server, n] of counts) this.set({ server }, n);
      },
    });
  }

  recordCall(group: string, server: string, tool: string, outcome: CallOutcome, seconds: number): void {
    if (!this.enabled) return;
    const seriesKey = `${group}\n${server}\n${outcome}`;
    let latency = this.latency.get(seriesKey);
    if (!latency) this.latency.set(seriesKey, (latency = { labels: { group, server, outcome }, counts: new HistogramCounts(LATENCY_BUCKETS) }));
    latency.counts.observe(seconds);
    const toolLabel = this.tools.of(tool);
    const callKey = `${seriesKey}\n${toolLabel}`;
    let calls = this.calls.get(callKey);
    if (!calls) this.calls.set(callKey, (calls = { labels: { group, server, tool: toolLabel, outcome }, count: 0 }));
    calls.count += 1;
  }

  quotaRefused(group: string, reason: QuotaRefusal): void {
    if (this.enabled) this.quotaRefusals.inc({ group, reason });
  }
}

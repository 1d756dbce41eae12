// What the metrics add to one tool call, measured in-process (machine load barely matters at this scale):
// node --conditions=source --import tsx bench/metrics-cost.ts
import { MetricsRegistry, parseConfig } from '#core';
import { GatewayMetrics } from '../libs/mcp-gateway/src/metrics/gateway-metrics.js';

const config = parseConfig({ HUB_ENCRYPTION_KEY: 'a'.repeat(64), JWT_SECRET: 'j'.repeat(40) });
const registry = new MetricsRegistry(config);
// Gauges read these at scrape time only; the call path never touches them.
const sessions = { all: () => [][Symbol.iterator]() };
const pool = { onRestart: () => undefined, snapshot: () => [] };
const balancer = { breaker: () => ({ current: 'CLOSED' }) };
const metrics = new GatewayMetrics(registry, config, sessions as never, pool as never, balancer as never);

const groups = ['g1', 'g2', 'g3'];
const tools = Array.from({ length: 20 }, (_, i) => `tool-${i}`);
const N = 2_000_000;
for (let i = 0; i < 100_000; i++) metrics.recordCall(groups[i % 3], 'server', tools[i % 20], 'ok', 0.002);
const started = process.hrtime.bigint();
for (let i = 0; i < N; i++) metrics.recordCall(groups[i % 3], 'server', tools[i % 20], i % 50 ? 'ok' : 'tool_error', (i % 100) / 1000);
const nsPerCall = Number(process.hrtime.bigint() - started) / N;

const scrapeStarted = performance.now();
const text = await registry.text();
const scrapeMs = performance.now() - scrapeStarted;
const series = text.split('\n').filter((l) => l.startsWith('mcphub_')).length;
console.log(`recordCall: ${nsPerCall.toFixed(0)} ns per call (${N} calls, 3 groups × 20 tools × 2 outcomes)`);
console.log(`scrape: ${scrapeMs.toFixed(1)} ms for ${series} mcphub_ sample lines plus Node's default metrics`);

import { describe, expect, it } from '@jest/globals';
import { Registry } from 'prom-client';
import { HistogramCounts, registerCollected } from './collected-metric.js';

describe(HistogramCounts.name, () => {
  it('should expose cumulative buckets, +Inf, sum and count in the Prometheus text format', async () => {
    const registry = new Registry();
    const counts = new HistogramCounts([0.1, 1]);
    for (const v of [0.05, 0.1, 0.5, 3]) counts.observe(v);
    registerCollected(registry, { name: 'x_seconds', help: 'h', type: 'histogram', samples: () => counts.samples('x_seconds', { g: 'a' }) });
    registerCollected(registry, { name: 'y_total', help: 'h', type: 'counter', samples: () => [{ labels: { g: 'a' }, value: 7 }] });
    const text = await registry.metrics();
    expect(text).toContain('# TYPE x_seconds histogram');
    expect(text).toContain('x_seconds_bucket{g="a",le="0.1"} 2');
    expect(text).toContain('x_seconds_bucket{g="a",le="1"} 3');
    expect(text).toContain('x_seconds_bucket{g="a",le="+Inf"} 4');
    expect(text).toContain('x_seconds_sum{g="a"} 3.65');
    expect(text).toContain('x_seconds_count{g="a"} 4');
    expect(text).toContain('# TYPE y_total counter\ny_total{g="a"} 7');
  });
});

import type { Metric, Registry } from 'prom-client';

export type LabelValues = Record<string, string>;

export interface MetricSample {
  labels: Record<string, string | number>;
  value: number;
  /** For histograms: `<name>_bucket`, `_sum`, `_count`. */
  metricName?: string;
}

export interface CollectedMetricDefinition {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram';
  /** Called at scrape time only. */
  samples(): MetricSample[];
}

/**
 * Registers a metric whose numbers are kept elsewhere as plain fields (on the call path, a prom-client `inc` or
 * `observe` costs a label hash and validation per call) and handed to prom-client only when scraped.
 */
export function registerCollected(registry: Registry, definition: CollectedMetricDefinition): void {
  const { name, help, type } = definition;
  const metric = {
    name,
    help,
    type,
    aggregator: 'sum',
    get: async () => ({ name, help, type, aggregator: 'sum', values: definition.samples() }),
    reset: () => undefined,
  };
  registry.registerMetric(metric as unknown as Metric);
}

/** One histogram series as plain numbers: observe() is a bucket search and three additions. */
export class HistogramCounts {
  private readonly perBucket: number[];
  count = 0;
  sum = 0;

  constructor(private readonly bounds: readonly number[]) {
    this.perBucket = new Array<number>(bounds.length).fill(0);
  }

  observe(value: number): void {
    this.count += 1;
    this.sum += value;
    const bounds = this.bounds;
    for (let i = 0; i < bounds.length; i++) {
      if (value <= bounds[i]) {
        this.perBucket[i] += 1;
        return;
      }
    }
  }

  /** Prometheus exposition: cumulative buckets, +Inf, sum and count. */
  samples(name: string, labels: LabelValues): MetricSample[] {
    const samples: MetricSample[] = [];
    let cumulative = 0;
    this.bounds.forEach((le, i) => {
      cumulative += this.perBucket[i];
      samples.push({ metricName: `${name}_bucket`, labels: { ...labels, le }, value: cumulative });
    });
    samples.push(
      { metricName: `${name}_bucket`, labels: { ...labels, le: '+Inf' }, value: this.count },
      { metricName: `${name}_sum`, labels, value: this.sum },
      { metricName: `${name}_count`, labels, value: this.count },
    );
    return samples;
  }
}

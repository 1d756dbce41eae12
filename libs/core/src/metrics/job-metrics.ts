import { Injectable } from '@nestjs/common';
import { Counter, Histogram } from 'prom-client';
import { QUEUE_OF, type JobName } from '../jobs/job-names.js';
import { METRIC_PREFIX, MetricsRegistry } from './metrics-registry.js';

export type JobOutcome = 'completed' | 'failed';

/** Runs of background jobs, each attempt counted (a retried job that fails twice then succeeds counts 2 failed, 1 completed). */
@Injectable()
export class JobMetrics {
  private readonly runs: Counter<'queue' | 'job' | 'outcome'>;
  private readonly duration: Histogram<'queue' | 'job'>;

  constructor(private readonly metrics: MetricsRegistry) {
    const registers = [metrics.registry];
    this.runs = new Counter({ name: `${METRIC_PREFIX}job_runs_total`, help: 'Job attempts by queue, job and outcome', labelNames: ['queue', 'job', 'outcome'], registers });
    this.duration = new Histogram({
      name: `${METRIC_PREFIX}job_duration_seconds`,
      help: 'Duration of job attempts',
      labelNames: ['queue', 'job'],
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
      registers,
    });
  }

  record(name: string, outcome: JobOutcome, seconds: number): void {
    if (!this.metrics.enabled) return;
    // Job names are an enum; anything else would be a bug, counted once under "unknown" rather than as a new series.
    const queue: string | undefined = QUEUE_OF[name as JobName];
    const labels = queue ? { queue, job: name } : { queue: 'unknown', job: 'unknown' };
    this.runs.inc({ ...labels, outcome });
    this.duration.observe(labels, seconds);
  }
}

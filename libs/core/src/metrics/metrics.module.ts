import { Global, Module } from '@nestjs/common';
import { JobMetrics } from './job-metrics.js';
import { MetricsRegistry } from './metrics-registry.js';

/** The process's metrics registry and the recorders core owns; libs add their own metrics to the same registry. */
@Global()
@Module({ providers: [MetricsRegistry, JobMetrics], exports: [MetricsRegistry, JobMetrics] })
export class MetricsModule {}

import { Inject, Injectable } from '@nestjs/common';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { HUB_CONFIG, type HubConfig } from '../config/hub-config.js';

/** Every metric name the hub exports starts with this (Node's default metrics keep their standard names). */
export const METRIC_PREFIX = 'mcphub_';

/**
 * This process's Prometheus registry: one per app, not prom-client's global one, so several apps in one process
 * (specs) keep their numbers apart. When METRICS_ENABLED=false recorders skip their work and nothing is served.
 */
@Injectable()
export class MetricsRegistry {
  readonly registry = new Registry();
  readonly enabled: boolean;

  constructor(@Inject(HUB_CONFIG) config: HubConfig) {
    this.enabled = config.metrics.enabled;
    if (this.enabled) collectDefaultMetrics({ register: this.registry });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}

import { METRIC_PREFIX, registerCollected, type MetricsRegistry } from '#core';

/** What a usage sink can tell about the calls it holds and the calls it could not keep. */
export interface UsageBacklog {
  /** Calls answered whose usage and call-log entry are still only in this hub's memory. */
  readonly unwrittenCalls: number;
  /** Calls whose usage was not recorded because every buffer was full. */
  readonly droppedUsage: number;
  /** Calls whose call-log entry was not recorded because every buffer was full. */
  readonly droppedLogEntries: number;
}

/**
 * Shows in /metrics when recording falls behind: a hub keeps serving calls while Redis (or the embedded database)
 * cannot take their usage, so without these an outage, or a worker that stopped moving the call log, would only
 * show in the logs. Read at scrape time: nothing on the call path.
 */
export function registerUsageMetrics(metrics: MetricsRegistry, backlog: UsageBacklog): void {
  registerCollected(metrics.registry, {
    name: `${METRIC_PREFIX}usage_unwritten_calls`,
    help: 'Calls answered whose usage and call-log entry this hub still holds in memory (Redis mode: only while Redis cannot take them; embedded: until the next write)',
    type: 'gauge',
    samples: () => [{ labels: {}, value: backlog.unwrittenCalls }],
  });
  registerCollected(metrics.registry, {
    name: `${METRIC_PREFIX}usage_dropped_calls_total`,
    help: "Calls whose usage (record=usage) or call-log entry (record=call_log) was lost because this hub's buffer was full",
    type: 'counter',
    samples: () => [
      { labels: { record: 'usage' }, value: backlog.droppedUsage },
      { labels: { record: 'call_log' }, value: backlog.droppedLogEntries },
    ],
  });
}

import { Badge } from '@mantine/core';
import type { HealthState } from './health';

const COLOR: Record<HealthState, string> = { HEALTHY: 'teal', DEGRADED: 'yellow', DOWN: 'red', UNKNOWN: 'gray' };

/** The server's health in words, not color alone; `live` announces changes to screen readers (one badge a page). */
export function HealthBadge({ state, live }: { state: HealthState; live?: boolean }) {
  return (
    <Badge color={COLOR[state]} variant="light" aria-live={live ? 'polite' : undefined} data-health={state}>
      {state === 'UNKNOWN' ? 'unknown' : state}
    </Badge>
  );
}

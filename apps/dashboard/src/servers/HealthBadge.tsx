import { Badge } from '@mantine/core';
import type { HealthState } from './health';

// Filled, in shades that keep 4.5:1 text contrast on both themes (axe checks every page).
const COLOR: Record<HealthState, string> = { HEALTHY: 'teal.9', DEGRADED: 'yellow.4', DOWN: 'red.9', UNKNOWN: 'gray.7' };

/** The server's health in words, not color alone; `live` announces changes to screen readers (one badge a page). */
export function HealthBadge({ state, live }: { state: HealthState; live?: boolean }) {
  return (
    <Badge color={COLOR[state]} variant="filled" autoContrast aria-live={live ? 'polite' : undefined} data-health={state} style={{ minWidth: 'max-content' }}>
      {state === 'UNKNOWN' ? 'unknown' : state}
    </Badge>
  );
}

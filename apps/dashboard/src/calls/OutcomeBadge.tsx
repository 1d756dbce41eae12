import { Badge } from '@mantine/core';
import type { CallOutcome } from './call-log-query';
import { OUTCOME_LABELS } from './outcomes';

/** Refusals by the hub's own policy (quota, rules) are amber; failures of the call itself red. */
const REFUSALS = new Set<CallOutcome>(['QUOTA_REFUSED', 'RULE_DENIED']);

export function OutcomeBadge({ outcome }: { outcome: CallOutcome }) {
  const color = outcome === 'OK' ? 'teal' : REFUSALS.has(outcome) ? 'orange' : 'red';
  return (
    <Badge variant="light" color={color} style={{ whiteSpace: 'nowrap' }}>
      {OUTCOME_LABELS[outcome]}
    </Badge>
  );
}

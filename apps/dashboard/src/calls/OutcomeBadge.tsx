import { Badge } from '@mantine/core';
import type { CallOutcome } from './call-log-query';
import { OUTCOME_LABELS } from './outcomes';

/** Refusals by the hub's own policy (quota, rules) are amber; failures of the call itself red. The dot carries the
 * colour, the text the meaning (dark on light in both themes, so it stays readable). */
const REFUSALS = new Set<CallOutcome>(['QUOTA_REFUSED', 'RULE_DENIED']);

export function OutcomeBadge({ outcome }: { outcome: CallOutcome }) {
  const color = outcome === 'OK' ? 'teal' : REFUSALS.has(outcome) ? 'orange' : 'red';
  return (
    <Badge variant="dot" color={color} style={{ whiteSpace: 'nowrap', minWidth: 'max-content' }}>
      {OUTCOME_LABELS[outcome]}
    </Badge>
  );
}

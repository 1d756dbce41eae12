import type { CallOutcome } from './call-log-query';

/** Every outcome the API knows (the type makes this exhaustive), as a person reads it. */
export const OUTCOME_LABELS: Record<CallOutcome, string> = {
  OK: 'OK',
  TOOL_ERROR: 'Tool error',
  UPSTREAM_ERROR: 'Upstream error',
  UNAVAILABLE: 'Server unavailable',
  TIMEOUT: 'Timed out',
  TOO_LARGE: 'Answer too large',
  CANCELLED: 'Cancelled',
  QUOTA_REFUSED: 'Quota refused',
  RULE_DENIED: 'Denied by a rule',
  NOT_FOUND: 'Not found',
  INVALID_REQUEST: 'Invalid request',
  HUB_ERROR: 'Hub error',
};

export const OUTCOMES = Object.keys(OUTCOME_LABELS) as CallOutcome[];

import { CallOutcome as LoggedOutcome } from '#keys';

/** How a tool call ended, as the `outcome` label says it (a fixed set: label values must stay bounded). */
export type CallOutcome = 'ok' | 'tool_error' | 'upstream_error' | 'unavailable' | 'timeout' | 'too_large' | 'denied' | 'cancelled' | 'error';

/**
 * The metrics label of a call-log outcome: one classification of how a call ended (call-journal.ts outcomeOf), two
 * spellings. Refusals before a call reaches the pipeline (quota, unknown or malformed name) are not calls here.
 */
export const METRIC_OUTCOME: Record<LoggedOutcome, CallOutcome> = {
  [LoggedOutcome.OK]: 'ok',
  [LoggedOutcome.TOOL_ERROR]: 'tool_error',
  [LoggedOutcome.UPSTREAM_ERROR]: 'upstream_error',
  [LoggedOutcome.UNAVAILABLE]: 'unavailable',
  [LoggedOutcome.TIMEOUT]: 'timeout',
  [LoggedOutcome.TOO_LARGE]: 'too_large',
  [LoggedOutcome.CANCELLED]: 'cancelled',
  [LoggedOutcome.RULE_DENIED]: 'denied',
  [LoggedOutcome.QUOTA_REFUSED]: 'denied',
  [LoggedOutcome.NOT_FOUND]: 'error',
  [LoggedOutcome.INVALID_REQUEST]: 'error',
  [LoggedOutcome.HUB_ERROR]: 'error',
};

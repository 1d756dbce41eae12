/** The events a channel can subscribe to (NotificationEventType) and what each means, as the README says. */
export const EVENTS = [
  { value: 'SERVER_HEALTH_CHANGED', label: 'Server health changed', description: 'A replica of a server you can see becomes healthy, degraded or down' },
  { value: 'UPSTREAM_FAILURES', label: 'Upstream failures', description: 'A server keeps failing to answer within a short window' },
  { value: 'KEY_QUOTA_NEAR', label: 'Key quota nearly used', description: 'An API key nears its per-minute or per-day limit (once per window)' },
  { value: 'KEY_QUOTA_EXCEEDED', label: 'Key quota exceeded', description: 'An API key has used its whole limit for the window' },
] as const;

export type EventName = (typeof EVENTS)[number]['value'];

/** WebhookFormat: the body the receiver gets. */
export const FORMATS = [
  { value: 'GENERIC', label: 'Generic JSON', description: 'The hub\u2019s JSON: id, type, occurredAt, summary and data' },
  { value: 'SLACK', label: 'Slack', description: 'A Slack incoming-webhook message' },
  { value: 'TEAMS', label: 'Microsoft Teams', description: 'A Teams Workflows webhook with an Adaptive Card' },
] as const;

export type FormatName = (typeof FORMATS)[number]['value'];

export function eventLabel(type: string): string {
  if (type === 'TEST') return 'Test';
  return EVENTS.find((e) => e.value === type)?.label ?? type;
}

export function formatLabel(format: string): string {
  return FORMATS.find((f) => f.value === format)?.label ?? format;
}

/** NotificationDeliveryStatus → badge color and words. */
export const DELIVERY_STATUS: Record<string, { color: string; label: string }> = {
  PENDING: { color: 'gray', label: 'Pending' },
  RETRYING: { color: 'yellow', label: 'Retrying' },
  SUCCEEDED: { color: 'teal', label: 'Delivered' },
  FAILED: { color: 'red', label: 'Failed' },
};

/** The kinds of notification channel. Only webhooks so far (which also reach Slack and Teams incoming webhooks). */
export enum NotificationChannelKind {
  WEBHOOK = 'WEBHOOK',
}

/** The body a webhook receives: the hub's own JSON, or a Slack or Microsoft Teams incoming-webhook message. */
export enum WebhookFormat {
  GENERIC = 'GENERIC',
  SLACK = 'SLACK',
  TEAMS = 'TEAMS',
}

/** What a channel can subscribe to. */
export enum NotificationEventType {
  SERVER_HEALTH_CHANGED = 'SERVER_HEALTH_CHANGED',
  KEY_QUOTA_NEAR = 'KEY_QUOTA_NEAR',
  KEY_QUOTA_EXCEEDED = 'KEY_QUOTA_EXCEEDED',
  UPSTREAM_FAILURES = 'UPSTREAM_FAILURES',
}

/** The event type of a delivery sent by testNotificationChannel (not something a channel subscribes to). */
export const TEST_EVENT_TYPE = 'TEST';

export enum DeliveryStatus {
  /** Queued, not tried yet. */
  PENDING = 'PENDING',
  /** Tried and failed; another attempt is scheduled. */
  RETRYING = 'RETRYING',
  SUCCEEDED = 'SUCCEEDED',
  /** Gave up: attempts used up, or a failure that retrying cannot fix (refused destination, 4xx answer). */
  FAILED = 'FAILED',
}

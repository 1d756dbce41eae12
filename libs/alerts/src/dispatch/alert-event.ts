import type { NotificationEventType, TEST_EVENT_TYPE } from '../alert-types.js';

/** What a channel is sent (GENERIC format as is; Slack and Teams get a message built from it). No secrets. */
export interface AlertEvent {
  /** Unique per event, the same in every retry: receivers can deduplicate on it. */
  id: string;
  type: NotificationEventType | typeof TEST_EVENT_TYPE;
  occurredAt: string;
  /** One line a person reads. */
  summary: string;
  /** The event's facts (ids, names, numbers), flat. */
  data: Record<string, string | number | boolean | null>;
}

/** An event and who may receive it. */
export interface RoutedAlert {
  event: AlertEvent;
  /** The owner of what the event is about (server, key): channels whose owner may see it receive it. */
  subjectOwnerId: string;
  /** Claimed before sending so that the event goes out once across processes (quota fallback counters, bursts). */
  once?: { key: string; ttlMs: number };
}

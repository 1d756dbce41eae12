import { randomUUID } from 'node:crypto';
import type { ConfigChange } from '#core';
import type { QuotaThresholdEvent } from '#keys';
import type { HealthTransition, UpstreamFailureBurst } from '#servers';
import { NotificationEventType } from '../alert-types.js';
import type { RoutedAlert } from './alert-event.js';
import type { KeySubject } from './alert-subjects.js';

/**
 * A health transition worth telling: every change of status, except a new server's first check coming back
 * HEALTHY (that is the expected start, not news). A first check that finds it DOWN is news.
 */
export function healthAlert(t: HealthTransition): RoutedAlert | null {
  if (t.from === null && t.to === 'HEALTHY') return null;
  const replica = t.replicaName === 'primary' ? '' : ` (replica ${t.replicaName})`;
  const was = t.from ? ` (was ${t.from})` : '';
  return {
    subjectOwnerId: t.ownerId,
    event: {
      id: randomUUID(),
      type: NotificationEventType.SERVER_HEALTH_CHANGED,
      occurredAt: t.at,
      summary: `Server "${t.serverName}"${replica} is ${t.to}${was}${t.error ? `: ${t.error}` : ''}`,
      data: { serverId: t.serverId, serverSlug: t.serverSlug, serverName: t.serverName, replicaId: t.replicaId, replicaName: t.replicaName, from: t.from, to: t.to, error: t.error },
    },
  };
}

export function quotaAlert(q: QuotaThresholdEvent, key: KeySubject, now = Date.now()): RoutedAlert {
  const exceeded = q.level === 'EXCEEDED';
  const percent = Math.floor((q.used / q.limit) * 100);
  return {
    subjectOwnerId: key.ownerId,
    // Counts restart each window: one claim per key, window instance and level.
    once: { key: `quota:${q.keyId}:${q.window}:${q.resetsAt}:${q.level}`, ttlMs: Date.parse(q.resetsAt) - now + 1_000 },
    event: {
      id: randomUUID(),
      type: exceeded ? NotificationEventType.KEY_QUOTA_EXCEEDED : NotificationEventType.KEY_QUOTA_NEAR,
      occurredAt: new Date(now).toISOString(),
      summary: exceeded
        ? `API key "${key.name}" (${key.prefix}) used all ${q.limit} tool calls allowed per ${q.window}; further calls are refused until ${q.resetsAt}`
        : `API key "${key.name}" (${key.prefix}) used ${q.used} of ${q.limit} tool calls allowed per ${q.window} (${percent} %)`,
      data: { keyId: q.keyId, keyName: key.name, keyPrefix: key.prefix, window: q.window, used: q.used, limit: q.limit, resetsAt: q.resetsAt },
    },
  };
}

export function upstreamFailuresAlert(b: UpstreamFailureBurst): RoutedAlert {
  return {
    subjectOwnerId: b.ownerId,
    // Each hub counts its own failures: one notification per server and window across hubs.
    once: { key: `upstream:${b.serverId}`, ttlMs: b.windowSeconds * 1000 },
    event: {
      id: randomUUID(),
      type: NotificationEventType.UPSTREAM_FAILURES,
      occurredAt: b.at,
      summary: `Server "${b.serverSlug}" failed ${b.failures} times within ${b.windowSeconds} s; last error: ${b.lastError}`,
      data: { serverId: b.serverId, serverSlug: b.serverSlug, failures: b.failures, windowSeconds: b.windowSeconds, lastError: b.lastError },
    },
  };
}

/** The alert a bus message stands for, or null when it is not one. */
export async function alertOf(change: ConfigChange, keys: { key(id: string): Promise<KeySubject | null> }): Promise<RoutedAlert | null> {
  if (!change.detail) return null;
  switch (change.kind) {
    case 'server-health':
      return healthAlert(change.detail as unknown as HealthTransition);
    case 'key-quota': {
      const q = change.detail as unknown as QuotaThresholdEvent;
      const key = await keys.key(q.keyId);
      return key ? quotaAlert(q, key) : null;
    }
    case 'upstream-failures':
      return upstreamFailuresAlert(change.detail as unknown as UpstreamFailureBurst);
    default:
      return null;
  }
}

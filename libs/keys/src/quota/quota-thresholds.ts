/** NEAR: usage reached the configured share of a limit (ALERT_QUOTA_NEAR_PERCENT); EXCEEDED: all of it is used. */
export type QuotaLevel = 'NEAR' | 'EXCEEDED';

export type QuotaWindow = 'minute' | 'day';

/** Published on the config bus (kind 'key-quota') when a charge reaches a level; alerts turn it into notifications. */
export interface QuotaThresholdEvent {
  keyId: string;
  window: QuotaWindow;
  level: QuotaLevel;
  used: number;
  limit: number;
  /** When the window's count starts again (ISO 8601). */
  resetsAt: string;
}

/**
 * The level a charge has just reached, or null. Only the charge whose count lands exactly on a threshold
 * reaches it: counts only grow within a window (and Redis increments atomically across hubs), so each level is
 * reported once per window, with one comparison per charge.
 */
export function levelReached(used: number, limit: number, nearPercent: number): QuotaLevel | null {
  if (used === limit) return 'EXCEEDED';
  const near = Math.ceil((limit * nearPercent) / 100);
  return near < limit && used === near ? 'NEAR' : null;
}

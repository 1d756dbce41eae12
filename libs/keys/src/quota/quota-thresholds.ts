/** NEAR: usage reached the configured share of a limit (ALERT_QUOTA_NEAR_PERCENT); EXCEEDED: all of it is used. */
export type QuotaLevel = 'NEAR' | 'EXCEEDED';

export type QuotaWindow = 'minute' | 'day';

/** Published on the config bus (kind 'key-quota') when a charge reaches a level; alerts turn it into notifications. */
export interface QuotaThresholdEvent {
  keyId: string;
  window: QuotaWindow;
  level: QuotaLevel;
  /**
   * Units of the window handed out when the level was reached: with Redis, units leased by the hubs (an upper bound
   * of the calls admitted: a lease's unspent units count); in memory, calls admitted.
   */
  used: number;
  limit: number;
  /** When the window's count starts again (ISO 8601). */
  resetsAt: string;
}

/**
 * The levels a count passes on its way from `before` to `after` (one call: after = before + 1; one lease: a block).
 * Counts only grow within a window and Redis hands out each unit once across hubs, so each level is reported once
 * per window (a lease given back at shutdown can make a level pass twice; alerts claim each level once per window).
 */
export function levelsCrossed(before: number, after: number, limit: number, nearPercent: number): QuotaLevel[] {
  const near = Math.ceil((limit * nearPercent) / 100);
  const levels: QuotaLevel[] = [];
  if (near < limit && before < near && near <= after) levels.push('NEAR');
  if (before < limit && limit <= after) levels.push('EXCEEDED');
  return levels;
}

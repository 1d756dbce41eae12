import type { QuotaLimits } from './quota.service.js';
import type { QuotaWindows } from './quota-windows.js';

/** How a hub sizes the blocks of quota units it leases from Redis. */
export const LEASE = {
  /** A key's first lease on a hub, and the least it asks for. */
  minBlock: 1,
  /**
   * The most one lease holds. Bounds what a refusal can leave unused: a call is refused only when every unit of the
   * window is leased, and each other hub holds at most one lease's unspent units, so across H hubs at least
   * limit − (H − 1) × maxBlock calls were admitted (never more than the limit).
   */
  maxBlock: 32,
  /** Sized so that one lease lasts about this long at the rate the key spent its last lease on this hub. */
  targetMs: 250,
  /** A lease takes at most 1/shareDivisor of what remains in a window (at least one unit; enforced in Redis). */
  shareDivisor: 4,
} as const;

/**
 * The block a hub asks for next: what the key spent per targetMs on its last lease, at most double the last block
 * (a burst grows it quickly, a quiet key falls back to single units), within [minBlock, maxBlock].
 */
export function nextBlock(spent: number, elapsedMs: number, previous: number): number {
  const atRate = Math.round((spent * LEASE.targetMs) / Math.max(elapsedMs, 1));
  return Math.max(LEASE.minBlock, Math.min(LEASE.maxBlock, previous * 2, atRate));
}

/** Units counted in Redis that no call will spend: given back with the hub's next lease of the key (or at shutdown). */
export interface GiveBack {
  minuteKey: string;
  dayKey: string;
  units: number;
}

/** One hub's lease of a key's quota: units taken from Redis for the current windows and limits, spent locally. */
export class KeyLease {
  units = 0;
  block: number = LEASE.minBlock;
  /** Size and time of the last grant, for the rate that sizes the next block. */
  granted = 0;
  grantedAt = 0;
  /** Units this hub took in the current minute and day: where the memory fallback starts counting. */
  takenThisMinute = 0;
  takenThisDay = 0;
  giveBack?: GiveBack;
  /** The request for units in flight (one per key at a time), and the windows and limits it asks for. */
  refill?: { outcome: Promise<unknown>; windows: QuotaWindows; limits: QuotaLimits };
  private perMinute: number | null;
  private perDay: number | null;

  /** `since`: the time the lease moved to these windows (a caller that waited past their start counts in them). */
  constructor(
    limits: QuotaLimits,
    public windows: QuotaWindows,
    public since: number,
  ) {
    this.perMinute = limits.perMinute;
    this.perDay = limits.perDay;
  }

  /** Whether units taken for these windows and limits may be spent on a call at `w` with `limits`. */
  matches(limits: QuotaLimits, w: QuotaWindows): boolean {
    return (
      this.perMinute === limits.perMinute &&
      this.perDay === limits.perDay &&
      (limits.perMinute === null || this.windows.minute === w.minute) &&
      (limits.perDay === null || this.windows.day === w.day)
    );
  }

  /** Whether a window of `w` has already ended for this lease (a caller that waited on a refill across a boundary). */
  isAhead(w: QuotaWindows): boolean {
    return this.windows.minute > w.minute || this.windows.day > w.day;
  }

  /**
   * Moves the lease to new windows or limits: unspent units go back to their own window keys with the next lease
   * (a minute's leftovers still count in the day), and the block follows the rate they were spent at.
   */
  moveTo(limits: QuotaLimits, w: QuotaWindows, now: number): void {
    if (this.units > 0) {
      this.block = nextBlock(this.granted - this.units, now - this.grantedAt, this.block);
      this.addGiveBack(this.windows.minuteKey, this.windows.dayKey, this.units);
    }
    if (this.windows.minute !== w.minute) this.takenThisMinute = 0;
    if (this.windows.day !== w.day) this.takenThisDay = 0;
    this.units = 0;
    this.granted = 0;
    this.perMinute = limits.perMinute;
    this.perDay = limits.perDay;
    this.windows = w;
    this.since = now;
  }

  /** The block to ask for, now that the last lease is spent: sized by how fast it went. */
  want(now: number): number {
    if (this.granted > 0) this.block = nextBlock(this.granted - this.units, now - this.grantedAt, this.block);
    this.granted = 0;
    return this.block;
  }

  /** Records a grant from Redis for `w` (a grant for windows this lease has left is given back instead). */
  add(granted: number, limits: QuotaLimits, w: QuotaWindows, now: number): void {
    if (!this.matches(limits, w)) return this.addGiveBack(w.minuteKey, w.dayKey, granted);
    this.units += granted;
    this.granted = granted;
    this.grantedAt = now;
    this.takenThisMinute += granted;
    this.takenThisDay += granted;
  }

  /** One pending give-back at a time: an older one for other keys is dropped (those units stay counted, never over-admit). */
  private addGiveBack(minuteKey: string, dayKey: string, units: number): void {
    const same = this.giveBack && this.giveBack.minuteKey === minuteKey && this.giveBack.dayKey === dayKey;
    this.giveBack = { minuteKey, dayKey, units: units + (same ? this.giveBack!.units : 0) };
  }
}

export type CircuitState = 'CLOSED' | 'OPEN' | 'HALF_OPEN';

export interface CircuitPolicy {
  /** Consecutive failures that open the circuit. */
  failureThreshold: number;
  /** First open period; doubles after each failed probe, up to maxCooldownMs. */
  cooldownMs: number;
  maxCooldownMs: number;
}

export const DEFAULT_CIRCUIT_POLICY: CircuitPolicy = { failureThreshold: 3, cooldownMs: 5_000, maxCooldownMs: 60_000 };

/**
 * Per-replica circuit breaker: after repeated transport failures the replica is skipped for a cool-down, then
 * one probe call is let through (half-open); its outcome closes the circuit or re-opens it for longer.
 */
export class CircuitBreaker {
  private state: CircuitState = 'CLOSED';
  private failures = 0;
  private openedAt = 0;
  private cooldown: number;
  private probing = false;

  constructor(
    private readonly policy: CircuitPolicy = DEFAULT_CIRCUIT_POLICY,
    private readonly now: () => number = Date.now,
  ) {
    this.cooldown = policy.cooldownMs;
  }

  get current(): CircuitState {
    if (this.state === 'OPEN' && this.now() >= this.openedAt + this.cooldown) return 'HALF_OPEN';
    return this.state;
  }

  /** Whether a call may be sent now (without taking the half-open probe slot). */
  get available(): boolean {
    const state = this.current;
    return state === 'CLOSED' || (state === 'HALF_OPEN' && !this.probing);
  }

  /** Call before sending: in half-open state this takes the single probe slot. */
  acquire(): boolean {
    const state = this.current;
    if (state === 'CLOSED') return true;
    if (state === 'HALF_OPEN' && !this.probing) {
      this.state = 'HALF_OPEN';
      this.probing = true;
      return true;
    }
    return false;
  }

  success(): void {
    this.state = 'CLOSED';
    this.failures = 0;
    this.probing = false;
    this.cooldown = this.policy.cooldownMs;
  }

  failure(): void {
    if (this.state === 'HALF_OPEN') {
      this.cooldown = Math.min(this.policy.maxCooldownMs, this.cooldown * 2);
      this.open();
      return;
    }
    this.failures += 1;
    if (this.failures >= this.policy.failureThreshold) this.open();
  }

  /** The probe ended without a verdict (e.g. the upstream answered with a protocol error): free the slot. */
  release(): void {
    this.probing = false;
  }

  get openUntil(): Date | null {
    return this.state === 'CLOSED' ? null : new Date(this.openedAt + this.cooldown);
  }

  private open(): void {
    this.state = 'OPEN';
    this.openedAt = this.now();
    this.probing = false;
  }
}

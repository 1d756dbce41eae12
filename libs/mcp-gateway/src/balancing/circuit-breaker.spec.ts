import { describe, expect, it } from '@jest/globals';
import { CircuitBreaker } from './circuit-breaker.js';

describe(CircuitBreaker.name, () => {
  const setup = () => {
    let now = 0;
    const breaker = new CircuitBreaker({ failureThreshold: 3, cooldownMs: 1_000, maxCooldownMs: 4_000 }, () => now);
    return { breaker, advance: (ms: number) => (now += ms) };
  };

  it('should open after the threshold of consecutive failures', () => {
    const { breaker } = setup();
    breaker.failure();
    breaker.failure();
    expect(breaker.current).toBe('CLOSED');
    breaker.failure();
    expect(breaker.current).toBe('OPEN');
    expect(breaker.available).toBe(false);
    expect(breaker.acquire()).toBe(false);
  });

  it('should let exactly one probe through when half-open and close on its success', () => {
    const { breaker, advance } = setup();
    for (let i = 0; i < 3; i++) breaker.failure();
    advance(1_000);
    expect(breaker.current).toBe('HALF_OPEN');
    expect(breaker.acquire()).toBe(true);
    expect(breaker.acquire()).toBe(false);
    breaker.success();
    expect(breaker.current).toBe('CLOSED');
    expect(breaker.acquire()).toBe(true);
  });

  it('should re-open for twice as long when the probe fails', () => {
    const { breaker, advance } = setup();
    for (let i = 0; i < 3; i++) breaker.failure();
    advance(1_000);
    breaker.acquire();
    breaker.failure();
    advance(1_999);
    expect(breaker.current).toBe('OPEN');
    advance(1);
    expect(breaker.current).toBe('HALF_OPEN');
  });

  it('should forget sporadic failures after a success', () => {
    const { breaker } = setup();
    breaker.failure();
    breaker.failure();
    breaker.success();
    breaker.failure();
    breaker.failure();
    expect(breaker.current).toBe('CLOSED');
  });
});

import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { ConfigChange, ConfigChangeBus } from '#core';
import { UpstreamFailureWatch } from './upstream-failure-watch.js';

describe(UpstreamFailureWatch.name, () => {
  const server = { id: 's1', ownerId: 'u1', slug: 'github' };
  let published: ConfigChange[];
  let watch: UpstreamFailureWatch;

  beforeEach(() => {
    jest.useFakeTimers({ now: Date.UTC(2026, 10, 1, 12) });
    published = [];
    const bus = { publish: async (change: ConfigChange) => void published.push(change) } as unknown as ConfigChangeBus;
    watch = new UpstreamFailureWatch({ alerts: { upstreamFailures: { count: 3, windowSeconds: 60 } } } as never, bus);
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  const fail = (message = 'unreachable') => watch.record(server, new Error(message));

  it('should announce once when count failures fall within the window, then stay quiet for a window', () => {
    fail();
    jest.advanceTimersByTime(20_000);
    fail();
    expect(published).toHaveLength(0);
    jest.advanceTimersByTime(20_000);
    fail('timed out');
    expect(published).toEqual([
      { kind: 'upstream-failures', id: 's1', detail: expect.objectContaining({ serverId: 's1', ownerId: 'u1', failures: 3, windowSeconds: 60, lastError: 'timed out' }) },
    ]);
    for (let i = 0; i < 10; i++) fail();
    expect(published).toHaveLength(1);
    jest.advanceTimersByTime(60_000);
    fail();
    expect(published).toHaveLength(2);
  });

  it('should not announce failures spread wider than the window', () => {
    for (let i = 0; i < 10; i++) {
      fail();
      jest.advanceTimersByTime(31_000);
    }
    expect(published).toHaveLength(0);
  });

  it('should count servers apart', () => {
    fail();
    fail();
    watch.record({ ...server, id: 's2' }, new Error('x'));
    expect(published).toHaveLength(0);
  });
});

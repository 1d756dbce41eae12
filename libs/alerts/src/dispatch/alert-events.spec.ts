import { describe, expect, it } from '@jest/globals';
import { NotificationEventType } from '../alert-types.js';
import { alertOf, healthAlert, quotaAlert } from './alert-events.js';

const transition = {
  serverId: 's1',
  ownerId: 'u1',
  serverSlug: 'github',
  serverName: 'GitHub',
  replicaId: 's1',
  replicaName: 'primary',
  from: null,
  to: 'DOWN',
  error: 'could not connect',
  at: '2026-11-01T12:00:00.000Z',
} as const;
const shares: [] = [];

describe('alert events', () => {
  it("should not announce a new server's first check coming back HEALTHY, but every other transition", () => {
    expect(healthAlert({ ...transition, shares, to: 'HEALTHY' as never, error: null })).toBeNull();
    const down = healthAlert({ ...transition, shares, to: 'DOWN' as never });
    expect(down).toMatchObject({ subjectOwnerId: 'u1', event: { type: NotificationEventType.SERVER_HEALTH_CHANGED, summary: 'Server "GitHub" is DOWN: could not connect' } });
    const back = healthAlert({ ...transition, shares, from: 'DOWN' as never, to: 'HEALTHY' as never, error: null });
    expect(back?.event.summary).toBe('Server "GitHub" is HEALTHY (was DOWN)');
  });

  it('should name the window and claim once per key, window instance and level', () => {
    const key = { id: 'k1', name: 'ci', prefix: 'mcph_abc', ownerId: 'u1' };
    const now = Date.UTC(2026, 10, 1, 12);
    const q = { keyId: 'k1', window: 'day' as const, used: 80, limit: 100, resetsAt: '2026-11-02T00:00:00.000Z' };
    const near = quotaAlert({ ...q, level: 'NEAR' }, key, now);
    const exceeded = quotaAlert({ ...q, level: 'EXCEEDED', used: 100 }, key, now);
    expect(near.event.type).toBe(NotificationEventType.KEY_QUOTA_NEAR);
    expect(near.event.summary).toContain('used 80 of 100 tool calls allowed per day (80 %)');
    expect(exceeded.event.type).toBe(NotificationEventType.KEY_QUOTA_EXCEEDED);
    expect(near.once!.key).not.toBe(exceeded.once!.key);
    expect(near.once!.ttlMs).toBe(12 * 3600_000 + 1_000);
  });

  it('should ignore bus messages that are not alerts, and quota events of deleted keys', async () => {
    const none = { key: async () => null };
    expect(await alertOf({ kind: 'server', id: 's1' }, none)).toBeNull();
    expect(await alertOf({ kind: 'key-quota', id: 'k1', detail: { keyId: 'k1' } }, none)).toBeNull();
  });
});

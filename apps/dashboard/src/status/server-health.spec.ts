import { describe, expect, it } from '@jest/globals';
import { summarize, type ReplicaCheck, type ServerForHealth } from './server-health';

const check = (replicaId: string, status: ReplicaCheck['status'], checkedAt = '2026-01-01T10:00:00Z', error: string | null = null): ReplicaCheck => ({ replicaId, status, checkedAt, error });
const server = (health: ReplicaCheck[], replicas: ServerForHealth['replicas'] = [], enabled = true): ServerForHealth => ({ id: 's1', enabled, replicas, health });
const none = new Map<string, ReplicaCheck>();

describe(summarize.name, () => {
  it('should call a server UP when every replica it routes to is healthy, DOWN when every one is down, DEGRADED in between', () => {
    const replicas = [{ id: 'r2', enabled: true }];
    expect(summarize(server([check('s1', 'HEALTHY'), check('r2', 'HEALTHY')], replicas), none).state).toBe('UP');
    expect(summarize(server([check('s1', 'DOWN'), check('r2', 'DOWN')], replicas), none).state).toBe('DOWN');
    expect(summarize(server([check('s1', 'HEALTHY'), check('r2', 'DOWN', undefined, 'refused')], replicas), none)).toMatchObject({ state: 'DEGRADED', reason: 'refused' });
    expect(summarize(server([check('s1', 'DEGRADED')]), none)).toMatchObject({ state: 'DEGRADED', reason: 'Slow to answer' });
  });

  it('should leave out disabled replicas and call a disabled or never checked server UNKNOWN', () => {
    expect(summarize(server([check('s1', 'HEALTHY'), check('r2', 'DOWN')], [{ id: 'r2', enabled: false }]), none).state).toBe('UP');
    expect(summarize(server([]), none)).toMatchObject({ state: 'UNKNOWN', reason: 'Not checked yet' });
    expect(summarize(server([check('s1', 'HEALTHY')], [], false), none)).toMatchObject({ state: 'UNKNOWN', reason: 'Disabled' });
  });

  it('should let a newer live transition override the check the page loaded with, and not an older one', () => {
    const loaded = server([check('s1', 'HEALTHY', '2026-01-01T10:00:00Z')]);
    expect(summarize(loaded, new Map([['s1', check('s1', 'DOWN', '2026-01-01T10:01:00Z', 'gone')]]))).toMatchObject({ state: 'DOWN', reason: 'gone', checkedAt: '2026-01-01T10:01:00Z' });
    expect(summarize(loaded, new Map([['s1', check('s1', 'DOWN', '2026-01-01T09:59:00Z')]])).state).toBe('UP');
  });
});

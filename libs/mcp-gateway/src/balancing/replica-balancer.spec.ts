import { describe, expect, it } from '@jest/globals';
import type { ResolvedReplica, ResolvedServer } from '#servers';
import type { UpstreamPool } from '../upstream/upstream-pool.js';
import { ReplicaBalancer } from './replica-balancer.js';

const replica = (id: string, weight = 1, priority = 0): ResolvedReplica => ({ id, name: id, primary: false, weight, priority, transport: { type: 'streamable-http', url: 'http://x', headers: {} } });
const server = (replicas: ResolvedReplica[], loadBalancing: ResolvedServer['loadBalancing'] = 'ROUND_ROBIN'): ResolvedServer => ({
  id: 's', slug: 's', name: 's', enabled: true, ownerId: 'o', credentialScope: 'SHARED', transport: replicas[0].transport, replicas, loadBalancing, retryCalls: false, healthCheckIntervalSeconds: 30, connectionPlacement: 'EVERY_HUB',
});

/** The pool's answers the balancer depends on, as plain state. */
function pool(state: { down?: string[]; inFlight?: Record<string, number> } = {}) {
  return {
    reachable: (id: string) => !state.down?.includes(id),
    status: (id: string) => ({ inFlight: state.inFlight?.[id] ?? 0 }),
  } as unknown as UpstreamPool;
}

describe(ReplicaBalancer.name, () => {
  it('should split calls exactly by weight with smooth weighted round-robin', () => {
    const balancer = new ReplicaBalancer(pool());
    const s = server([replica('a', 3), replica('b', 1)], 'WEIGHTED');
    const picks = Array.from({ length: 2000 }, () => balancer.pick(s)!.id);
    expect(picks.filter((p) => p === 'a')).toHaveLength(1500);
    expect(picks.slice(0, 4).sort()).toEqual(['a', 'a', 'a', 'b']);
  });

  it('should alternate with round-robin and prefer the least loaded replica', () => {
    const rr = new ReplicaBalancer(pool());
    const s = server([replica('a'), replica('b')]);
    expect([rr.pick(s)!.id, rr.pick(s)!.id, rr.pick(s)!.id]).toEqual(['a', 'b', 'a']);
    const least = new ReplicaBalancer(pool({ inFlight: { a: 5, b: 1 } }));
    expect(least.pick(server([replica('a'), replica('b')], 'LEAST_IN_FLIGHT'))!.id).toBe('b');
  });

  it('should use a higher tier only when every replica of the lower tier is down', () => {
    const s = server([replica('a', 1, 0), replica('b', 1, 0), replica('backup', 1, 1)]);
    expect(new ReplicaBalancer(pool({ down: ['a'] })).pick(s)!.id).toBe('b');
    expect(new ReplicaBalancer(pool({ down: ['a', 'b'] })).pick(s)!.id).toBe('backup');
    expect(new ReplicaBalancer(pool({ down: ['a', 'b', 'backup'] })).pick(s)).toBeUndefined();
  });

  it('should skip replicas already tried and replicas with an open circuit', () => {
    const balancer = new ReplicaBalancer(pool());
    const s = server([replica('a'), replica('b')]);
    expect(balancer.pick(s, new Set(['a']))!.id).toBe('b');
    for (let i = 0; i < 3; i++) balancer.breaker('b').failure();
    expect(balancer.pick(s, new Set(['a']))).toBeUndefined();
  });
});

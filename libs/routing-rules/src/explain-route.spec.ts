import { describe, expect, it } from '@jest/globals';
import { explainRoute, namespaceOwner } from './explain-route.js';
import type { RuleAction, RuleDecision } from './rule-definition.js';

const members = [
  { id: 's-every', slug: 'everything' },
  { id: 's-every-2', slug: 'everything-2' },
  { id: 's-mem', slug: 'memory' },
];
const decided = (action: RuleAction): RuleDecision => ({ rule: { id: 'r1', name: 'x', priority: 10 }, action });

describe(namespaceOwner.name, () => {
  it('should pick the member whose slug__ is the longest prefix', () => {
    expect(namespaceOwner('everything-2__echo', members)?.slug).toBe('everything-2');
    expect(namespaceOwner('everything__echo', members)?.slug).toBe('everything');
    expect(namespaceOwner('everything_echo', members)).toBeNull();
    expect(namespaceOwner('everything__echo', [...members, { id: 'nested', slug: 'everything__echo' }])?.slug).toBe('everything');
  });
});

describe(explainRoute.name, () => {
  it('should describe namespace routing when no rule matched', () => {
    expect(explainRoute({ rule: null, action: null }, 'everything__echo', members)).toEqual({
      matched: false,
      rule: null,
      action: null,
      defaultServerSlug: 'everything',
      description: "No rule matched: routed by namespace to server 'everything'",
    });
    expect(explainRoute({ rule: null, action: null }, 'nobody__echo', members).description).toBe(
      "No rule matched, and no server of the group offers a tool named 'nobody__echo' (as of their last discovery) or owns its <server>__ prefix",
    );
  });

  it('should describe a denial with its message', () => {
    const out = explainRoute(decided({ type: 'DENY', message: 'writes are off today' }), 'memory__create_entities', members);
    expect(out).toMatchObject({
      matched: true,
      rule: { id: 'r1', name: 'x', priority: 10 },
      action: { type: 'DENY', serverId: null, serverSlug: null, message: 'writes are off today', timeoutMs: null, fallbackServerIds: null },
      defaultServerSlug: 'memory',
    });
    expect(out.description).toBe("Rule 'x' (priority 10) denies the call: writes are off today");
  });

  it('should describe a reroute with replica and timeout', () => {
    const out = explainRoute(decided({ type: 'ROUTE', serverId: 's-every-2', replicaId: 'rep-1', timeoutMs: 5000 }), 'everything__echo', members);
    expect(out.action).toEqual({
      type: 'ROUTE',
      serverId: 's-every-2',
      serverSlug: 'everything-2',
      replicaId: 'rep-1',
      message: null,
      timeoutMs: 5000,
      fallbackServerIds: null,
    });
    expect(out.description).toBe(
      "Rule 'x' (priority 10) routes the call to server 'everything-2' (replica rep-1) instead of 'everything', with a 5000 ms upstream timeout",
    );
  });

  it('should describe a timeout on namespace routing and an ordered fallback', () => {
    const timeout = explainRoute(decided({ type: 'TIMEOUT', timeoutMs: 250 }), 'memory__read_graph', members);
    expect(timeout.action).toMatchObject({ serverId: 's-mem', serverSlug: 'memory', timeoutMs: 250 });
    expect(timeout.description).toBe("Rule 'x' (priority 10) keeps namespace routing to server 'memory', with a 250 ms upstream timeout");

    const fallback = explainRoute(decided({ type: 'FALLBACK', serverIds: ['s-every', 'gone', 's-every-2'] }), 'everything__echo', members);
    expect(fallback.action).toMatchObject({ serverId: 's-every', serverSlug: 'everything', fallbackServerIds: ['s-every', 'gone', 's-every-2'] });
    expect(fallback.description).toBe(
      "Rule 'x' (priority 10) tries server 'everything', then gone (no longer in the group), then 'everything-2' in order, moving on only when one is unavailable",
    );
  });
});

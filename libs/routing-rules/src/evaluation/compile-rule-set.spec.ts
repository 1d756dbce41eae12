import { describe, expect, it } from '@jest/globals';
import type { RuleAction, RuleCall, RuleConditions, RuleDefinition } from '../rule-definition.js';
import { NO_RULE_MATCHED, compileRuleSet } from './compile-rule-set.js';

const DENY: RuleAction = { type: 'DENY', message: 'no' };
let counter = 0;
const rule = (conditions: RuleConditions, fields: Partial<RuleDefinition> = {}): RuleDefinition => {
  counter++;
  return { id: `rule-${counter}`, name: `r${counter}`, priority: counter, enabled: true, conditions, action: DENY, ...fields };
};
const call = (fields: Partial<RuleCall> = {}): RuleCall => ({
  toolName: 'everything__echo',
  arguments: { message: 'hello', query: { limit: 10, sort: { by: 'name', desc: true } }, items: [{ name: 'first', size: 2.5 }] },
  keyId: 'key-1',
  keyTags: ['ci'],
  ...fields,
});
const matches = (conditions: RuleConditions, fields: Partial<RuleCall> = {}) => compileRuleSet([rule(conditions)]).evaluate(call(fields)).rule !== null;

describe(compileRuleSet.name, () => {
  it('should match every call when a rule has no conditions, and none when there are no rules', () => {
    expect(matches({})).toBe(true);
    expect(compileRuleSet([]).evaluate(call())).toBe(NO_RULE_MATCHED);
    expect(NO_RULE_MATCHED).toEqual({ rule: null, action: null });
  });

  it('should match tool globs anchored, with * and ?', () => {
    expect(matches({ tool: { glob: 'everything__*' } })).toBe(true);
    expect(matches({ tool: { glob: 'everything__ech?' } })).toBe(true);
    expect(matches({ tool: { glob: 'everything__echo' } })).toBe(true);
    expect(matches({ tool: { glob: 'everything' } })).toBe(false);
    expect(matches({ tool: { glob: '*__add' } })).toBe(false);
  });

  it("should match a tool condition on any of the tool's names, so a naming mode change keeps rules matching", () => {
    const renamed = { toolName: 'echo', toolAliases: ['everything__echo', 'echo'] };
    expect(matches({ tool: { glob: 'everything__*' } }, renamed)).toBe(true);
    expect(matches({ tool: { regex: '^everything__echo$' } }, renamed)).toBe(true);
    expect(matches({ tool: { glob: 'everything__*' } }, { toolName: 'echo' })).toBe(false);
    expect(matches({ tool: { glob: 'echo' } }, { toolName: 'everything__echo', toolAliases: ['echo'] })).toBe(true);
    expect(matches({ tool: { glob: 'other__*' } }, renamed)).toBe(false);
  });

  it('should match tool regexes unanchored unless the pattern anchors them', () => {
    expect(matches({ tool: { regex: 'echo' } })).toBe(true);
    expect(matches({ tool: { regex: '^everything__(echo|add)$' } })).toBe(true);
    expect(matches({ tool: { regex: '^echo' } })).toBe(false);
  });

  it('should compare arguments with EQUALS deeply', () => {
    expect(matches({ arguments: [{ path: '$.query.limit', op: 'EQUALS', value: 10 }] })).toBe(true);
    expect(matches({ arguments: [{ path: 'query.sort', op: 'EQUALS', value: { desc: true, by: 'name' } }] })).toBe(true);
    expect(matches({ arguments: [{ path: 'query.sort', op: 'EQUALS', value: { by: 'name' } }] })).toBe(false);
    expect(matches({ arguments: [{ path: 'query.limit', op: 'EQUALS', value: '10' }] })).toBe(false);
    expect(matches({ arguments: [{ path: 'missing', op: 'EQUALS', value: null }] })).toBe(false);
    expect(matches({ arguments: [{ path: 'flag', op: 'EQUALS', value: null }] }, { arguments: { flag: null } })).toBe(true);
  });

  it('should match arguments with REGEX on strings only', () => {
    expect(matches({ arguments: [{ path: 'message', op: 'REGEX', pattern: '^hel+o$' }] })).toBe(true);
    expect(matches({ arguments: [{ path: 'items[0].name', op: 'REGEX', pattern: 'irs' }] })).toBe(true);
    expect(matches({ arguments: [{ path: 'message', op: 'REGEX', pattern: '^bye' }] })).toBe(false);
    expect(matches({ arguments: [{ path: 'query.limit', op: 'REGEX', pattern: '10' }] })).toBe(false);
  });

  it('should match arguments with RANGE on numbers within inclusive bounds', () => {
    expect(matches({ arguments: [{ path: 'query.limit', op: 'RANGE', min: 10, max: 10 }] })).toBe(true);
    expect(matches({ arguments: [{ path: 'query.limit', op: 'RANGE', min: 11 }] })).toBe(false);
    expect(matches({ arguments: [{ path: 'items[0].size', op: 'RANGE', max: 2.5 }] })).toBe(true);
    expect(matches({ arguments: [{ path: 'items[0].size', op: 'RANGE', max: 2.4 }] })).toBe(false);
    expect(matches({ arguments: [{ path: 'message', op: 'RANGE', min: 0 }] })).toBe(false);
    expect(matches({ arguments: [{ path: 'n', op: 'RANGE', min: 0 }] }, { arguments: { n: '5' } })).toBe(false);
  });

  it('should not match argument conditions when the call has no arguments', () => {
    expect(matches({ arguments: [{ path: 'query.limit', op: 'RANGE', min: 0 }] }, { arguments: undefined })).toBe(false);
  });

  it('should match keys by id or by any tag', () => {
    expect(matches({ keys: { keyIds: ['key-1'] } })).toBe(true);
    expect(matches({ keys: { keyIds: ['key-2'] } })).toBe(false);
    expect(matches({ keys: { tags: ['batch', 'ci'] } })).toBe(true);
    expect(matches({ keys: { tags: ['batch'] } })).toBe(false);
    expect(matches({ keys: { keyIds: ['key-2'], tags: ['ci'] } })).toBe(true);
    expect(matches({ keys: { tags: ['ci'] } }, { keyTags: [] })).toBe(false);
  });

  it('should require every given part to match', () => {
    const conditions: RuleConditions = {
      tool: { glob: 'everything__*' },
      arguments: [
        { path: 'message', op: 'REGEX', pattern: 'hello' },
        { path: 'query.limit', op: 'RANGE', max: 100 },
      ],
      keys: { tags: ['ci'] },
    };
    expect(matches(conditions)).toBe(true);
    expect(matches(conditions, { toolName: 'memory__read_graph' })).toBe(false);
    expect(matches(conditions, { arguments: { message: 'hello', query: { limit: 500 } } })).toBe(false);
    expect(matches(conditions, { keyTags: ['batch'] })).toBe(false);
  });

  it('should evaluate by ascending priority whatever the input order, first match winning', () => {
    const route: RuleAction = { type: 'ROUTE', serverId: 's-2', timeoutMs: 5000 };
    const rules = [
      rule({ tool: { glob: '*' } }, { id: 'late', name: 'catch-all', priority: 50, action: { type: 'TIMEOUT', timeoutMs: 1000 } }),
      rule({ tool: { glob: 'everything__*' } }, { id: 'early', name: 'route-everything', priority: 10, action: route }),
      rule({ tool: { glob: 'memory__*' } }, { id: 'first', name: 'memory-only', priority: 1 }),
    ];
    const set = compileRuleSet(rules);
    expect(set.size).toBe(3);
    expect(set.evaluate(call())).toEqual({ rule: { id: 'early', name: 'route-everything', priority: 10 }, action: route });
    expect(set.evaluate(call({ toolName: 'memory__read_graph' })).rule?.id).toBe('first');
    expect(set.evaluate(call({ toolName: 'other__x' })).rule?.id).toBe('late');
  });

  it('should skip disabled rules', () => {
    const set = compileRuleSet([rule({}, { id: 'off', priority: 1, enabled: false }), rule({}, { id: 'on', priority: 2 })]);
    expect(set.size).toBe(1);
    expect(set.evaluate(call()).rule?.id).toBe('on');
    expect(compileRuleSet([rule({}, { enabled: false })]).evaluate(call())).toBe(NO_RULE_MATCHED);
  });

  it('should return the same frozen decision on every match, detached from the definition', () => {
    const definition = rule({}, { action: { type: 'FALLBACK', serverIds: ['a', 'b'] } });
    const set = compileRuleSet([definition]);
    const first = set.evaluate(call());
    expect(set.evaluate(call({ toolName: 'x__y' }))).toBe(first);
    expect(Object.isFrozen(first.action)).toBe(true);
    (definition.action as { serverIds: string[] }).serverIds.push('c');
    expect(first.action).toEqual({ type: 'FALLBACK', serverIds: ['a', 'b'] });
  });

  it('should throw naming the rule when a definition is malformed', () => {
    expect(() => compileRuleSet([rule({ tool: { regex: '(' } }, { id: 'bad', name: 'broken' })])).toThrow(/Routing rule "broken" \(bad\): conditions\.tool: regex is not a valid/);
    expect(() => compileRuleSet([rule({ arguments: [{ path: 'a..b', op: 'EQUALS', value: 1 }] }, { name: 'p' })])).toThrow(
      /"p" .*conditions\.arguments\.0\.path is malformed/,
    );
  });

  it('should not let a pathological regex stall evaluation on a long argument', () => {
    const set = compileRuleSet([rule({ arguments: [{ path: 'text', op: 'REGEX', pattern: String.raw`^(\w+\s?)*$` }] })]);
    const started = performance.now();
    expect(set.evaluate(call({ arguments: { text: `${'word '.repeat(2000)}!` } }))).toBe(NO_RULE_MATCHED);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('should evaluate a realistic rule set quickly', () => {
    const rules = Array.from({ length: 50 }, (_, i) =>
      rule(
        { tool: { glob: `server${i}__*` }, arguments: [{ path: 'query.limit', op: 'RANGE', min: 1, max: 100 }], keys: { tags: ['ci'] } },
        { priority: i },
      ),
    );
    rules.push(rule({ tool: { regex: '^everything__(echo|add)$' } }, { priority: 100 }));
    const set = compileRuleSet(rules);
    const sample = call();
    const started = performance.now();
    for (let i = 0; i < 100_000; i++) set.evaluate(sample);
    expect(set.evaluate(sample).rule?.priority).toBe(100);
    // 100k evaluations of 51 rules: generous bound for slow CI machines (typically ~100 ms).
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

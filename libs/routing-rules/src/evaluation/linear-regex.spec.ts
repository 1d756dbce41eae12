import { describe, expect, it } from '@jest/globals';
import { LINEAR_REGEX_AVAILABLE, compileRuleRegex, regexProblem } from './linear-regex.js';

describe(regexProblem.name, () => {
  it('should accept ordinary patterns', () => {
    for (const ok of ['^everything__(echo|add)$', String.raw`^[\w.-]+@example\.com$`, String.raw`\d{4}-\d{2}-\d{2}`, '(?<name>a)+', '^(a+)+$']) {
      expect(regexProblem(ok)).toBeNull();
    }
  });

  it('should explain a pattern that does not compile', () => {
    expect(regexProblem('(unclosed')).toMatch(/^is not a valid regular expression \(.*Unterminated group\)$/);
  });

  it('should refuse what the linear-time engine cannot run', () => {
    expect(LINEAR_REGEX_AVAILABLE).toBe(true);
    for (const bad of [String.raw`(a)\1`, '(?=a)a', '(?<!a)b', '[a-z]{1,32}']) expect(regexProblem(bad)).toMatch(/^must be able to run in linear time/);
  });
});

describe(compileRuleRegex.name, () => {
  it('should bound a catastrophic-backtracking pattern by falling back to the linear engine', () => {
    const regex = compileRuleRegex('^(a+)+$');
    const started = performance.now();
    expect(regex.test(`${'a'.repeat(5000)}!`)).toBe(false);
    expect(regex.test('aaaa')).toBe(true);
    expect(performance.now() - started).toBeLessThan(200);
  });
});

import { describe, expect, it } from '@jest/globals';
import { GLOB_PATTERN, globMatches } from './tool-glob.js';

describe(globMatches.name, () => {
  it.each([
    ['everything__*', 'everything__echo', true],
    ['everything__*', 'everything__', true],
    ['everything__*', 'other__echo', false],
    ['*__echo', 'everything__echo', true],
    ['*__echo', 'everything__echo2', false],
    ['every?hing__echo', 'everything__echo', true],
    ['every?hing__echo', 'everyhing__echo', false],
    ['*', '', true],
    ['?', '', false],
    ['*get*sum*', 'everything__get-sum', true],
    ['*a*b', 'aaab', true],
    ['*a*b', 'aaaba', false],
    ['echo', 'everything__echo', false],
  ])('should match %s against %s: %s', (glob, text, expected) => {
    expect(globMatches(glob, text)).toBe(expected);
  });

  it('should stay fast on many stars that cannot match', () => {
    const started = performance.now();
    expect(globMatches('*a*a*a*a*a*a*a*a*a*a*b', 'a'.repeat(64))).toBe(false);
    expect(performance.now() - started).toBeLessThan(50);
  });
});

describe('GLOB_PATTERN', () => {
  it('should allow tool-name characters and the two wildcards only', () => {
    expect(GLOB_PATTERN.test('git-hub__create_*')).toBe(true);
    for (const bad of ['', 'a.b', '[ab]', 'a b', 'x{1,2}', 'a'.repeat(129)]) expect(GLOB_PATTERN.test(bad)).toBe(false);
  });
});

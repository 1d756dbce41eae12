import { describe, expect, it } from '@jest/globals';
import { parseJsonPath, readPath } from './json-path.js';

describe(parseJsonPath.name, () => {
  it.each([
    ['$.query.limit', ['query', 'limit']],
    ['query.limit', ['query', 'limit']],
    ['items[0].name', ['items', 0, 'name']],
    ['$.matrix[1][20]', ['matrix', 1, 20]],
    ['$.a-b.c_d.$e', ['a-b', 'c_d', '$e']],
  ])('should parse %s', (path, segments) => {
    expect(parseJsonPath(path)).toEqual(segments);
  });

  it.each(['', '$', '$.', '$[0]', '[0]', '.a', 'a.', 'a..b', 'a[x]', 'a[', 'a[01]', 'a b', "a['b']", 'a.[0]'])(
    'should reject %j',
    (path) => {
      expect(parseJsonPath(path)).toBeNull();
    },
  );

  it('should reject paths deeper than the limit', () => {
    expect(parseJsonPath('a.b.c', 3)).toEqual(['a', 'b', 'c']);
    expect(parseJsonPath('a.b.c.d', 3)).toBeNull();
  });
});

describe(readPath.name, () => {
  const args = { query: { limit: 10, tags: ['x', 'y'] }, items: [{ name: 'first' }], nothing: null };

  it('should read nested keys and indexes', () => {
    expect(readPath(args, ['query', 'limit'])).toBe(10);
    expect(readPath(args, ['query', 'tags', 1])).toBe('y');
    expect(readPath(args, ['items', 0, 'name'])).toBe('first');
    expect(readPath(args, ['nothing'])).toBeNull();
  });

  it('should return undefined for anything missing, mistyped or inherited', () => {
    expect(readPath(args, ['query', 'missing'])).toBeUndefined();
    expect(readPath(args, ['items', 5, 'name'])).toBeUndefined();
    expect(readPath(args, ['query', 0])).toBeUndefined();
    expect(readPath(args, ['items', 'length'])).toBeUndefined();
    expect(readPath(args, ['nothing', 'deeper'])).toBeUndefined();
    expect(readPath(args, ['toString'])).toBeUndefined();
    expect(readPath(args, ['__proto__'])).toBeUndefined();
    expect(readPath(undefined, ['query'])).toBeUndefined();
  });
});

import { describe, expect, it } from '@jest/globals';
import { compileEquals } from './json-equals.js';

describe(compileEquals.name, () => {
  it('should compare primitives and null strictly', () => {
    expect(compileEquals(5)(5)).toBe(true);
    expect(compileEquals(5)('5')).toBe(false);
    expect(compileEquals(null)(null)).toBe(true);
    expect(compileEquals(null)(undefined)).toBe(false);
    expect(compileEquals(false)(0)).toBe(false);
  });

  it('should compare arrays in order and objects regardless of key order', () => {
    const equals = compileEquals({ a: [1, { b: 'x' }], c: null });
    expect(equals({ c: null, a: [1, { b: 'x' }] })).toBe(true);
    expect(equals({ a: [{ b: 'x' }, 1], c: null })).toBe(false);
    expect(equals({ a: [1, { b: 'x' }] })).toBe(false);
    expect(equals({ a: [1, { b: 'x' }], c: null, d: 1 })).toBe(false);
    expect(equals({ a: [1, { b: 'x', e: 2 }], c: null })).toBe(false);
    expect(compileEquals([])({})).toBe(false);
    expect(compileEquals({})([])).toBe(false);
  });
});

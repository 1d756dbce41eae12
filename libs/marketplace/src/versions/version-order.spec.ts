import { describe, expect, it } from '@jest/globals';
import { compareVersions } from './version-order.js';

const at = (version: string, minute = 0) => ({ version, publishedAt: new Date(Date.UTC(2026, 0, 1, 0, minute)) });

describe(compareVersions.name, () => {
  it('should order semantic versions by precedence, numbers as numbers', () => {
    const sorted = ['1.10.0', '1.2.0', '2.0.0', '1.2.0-rc.1', '1.2.0-alpha', '1.2.0-alpha.10', '1.2.0-alpha.2', '1.2.0-alpha.beta', 'v0.9.9']
      .map((v) => at(v))
      .sort(compareVersions)
      .map((v) => v.version);
    expect(sorted).toEqual(['v0.9.9', '1.2.0-alpha', '1.2.0-alpha.2', '1.2.0-alpha.10', '1.2.0-alpha.beta', '1.2.0-rc.1', '1.2.0', '1.10.0', '2.0.0']);
  });

  it('should ignore build metadata', () => {
    expect(compareVersions(at('1.0.0+20130313144700'), at('1.0.0+1'))).toBe(0);
  });

  it('should put a semantic version above one that is not, whatever their ages', () => {
    expect(compareVersions(at('0.0.1', 0), at('2024-11-05', 59))).toBe(1);
    expect(compareVersions(at('nightly', 59), at('0.0.1', 0))).toBe(-1);
  });

  it('should order versions that are not semantic by publication time', () => {
    expect(compareVersions(at('2024-11-05', 1), at('2025-01-01', 0))).toBe(1);
    expect(compareVersions(at('1.0', 0), at('0.9', 1))).toBe(-1);
  });
});

import { describe, expect, it } from '@jest/globals';
import { generateApiKey, hashMatches, parseApiKey } from './api-key-format.js';

describe('API key format', () => {
  it('should generate mcph_<publicId>_<secret+checksum> that parses back to its public id', () => {
    const { key, publicId, hash } = generateApiKey();
    expect(key).toMatch(/^mcph_[0-9A-Za-z]{12}_[0-9A-Za-z]{49}$/);
    expect(parseApiKey(key)).toEqual({ publicId });
    expect(hashMatches(key, hash)).toBe(true);
  });

  it('should reject a key with one character changed (checksum) and foreign strings', () => {
    const { key } = generateApiKey();
    const last = key.at(-10)!;
    const typo = key.slice(0, -10) + (last === 'a' ? 'b' : 'a') + key.slice(-9);
    expect(parseApiKey(typo)).toBeNull();
    expect(parseApiKey('Bearer something')).toBeNull();
    expect(parseApiKey('')).toBeNull();
  });

  it('should not match another key of the same public id', () => {
    const a = generateApiKey();
    const b = generateApiKey();
    expect(hashMatches(b.key, a.hash)).toBe(false);
  });
});

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

  it('should accept a key issued by an earlier build (checksum and hash unchanged since)', () => {
    // Made by the BigInt/createHash implementation this one replaced: keys already handed out keep working.
    const key = 'mcph_iIDtgCnT9JdK_sDdZTLgJOEL5HYufar5A1w1EytvvIwSGg1EttpQLyYy3pEVFi';
    expect(parseApiKey(key)).toEqual({ publicId: 'iIDtgCnT9JdK' });
    expect(hashMatches(key, Buffer.from('3813356525e6ebf530ca4530e2233b20a583be33f2558ef058e6e62cbe0d3f3a', 'hex'))).toBe(true);
    expect(parseApiKey(key.slice(0, -1) + (key.at(-1) === 'i' ? 'j' : 'i'))).toBeNull();
  });
});

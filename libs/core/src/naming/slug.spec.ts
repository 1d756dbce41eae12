import { describe, expect, it } from '@jest/globals';
import { slugFromName, slugSchema } from './slug.js';

describe(slugFromName.name, () => {
  it.each([
    ['Everything', 'everything'],
    ['My  GitHub Server!', 'my-github-server'],
    ['  --Leading and trailing--  ', 'leading-and-trailing'],
    ['Café Tools (v2)', 'cafe-tools-v2'],
    ['snake_case_name', 'snake-case-name'],
    ['!!!', ''],
  ])('should turn %j into %j', (name, slug) => {
    expect(slugFromName(name)).toBe(slug);
  });

  it('should cut long names to 40 characters without a trailing dash', () => {
    const slug = slugFromName(`${'a'.repeat(39)} bcd`);
    expect(slug).toBe('a'.repeat(39));
    expect(slugSchema.safeParse(slugFromName('x'.repeat(100))).success).toBe(true);
  });

  it('should always produce a slug the schema accepts when not empty', () => {
    for (const name of ['A', 'ÄÖÜ ß', '1-2-3', 'The Quick, Brown Fox: Jumps Over The Lazy Dog Again And Again']) {
      const slug = slugFromName(name);
      expect(slugSchema.safeParse(slug).success).toBe(true);
    }
  });
});

describe('slugSchema', () => {
  it.each(['a', '0abc', 'my-server', 'a'.repeat(40)])('should accept %j', (slug) => {
    expect(slugSchema.safeParse(slug).success).toBe(true);
  });

  it.each(['', '-abc', 'ABC', 'a_b', 'a b', 'a'.repeat(41), 'ünï'])('should reject %j', (slug) => {
    expect(slugSchema.safeParse(slug).success).toBe(false);
  });
});

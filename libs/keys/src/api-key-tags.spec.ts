import { describe, expect, it } from '@jest/globals';
import { apiKeyTagsSchema } from './api-key-tags.js';

describe('apiKeyTagsSchema', () => {
  it('should accept short lower-case tags and drop duplicates', () => {
    expect(apiKeyTagsSchema.parse(['ci', 'batch-jobs', 'ci', 'x_1'])).toEqual(['ci', 'batch-jobs', 'x_1']);
  });

  it.each([['CI'], ['-ci'], [''], ['a'.repeat(33)], ['has space']])('should reject %j', (tag) => {
    expect(apiKeyTagsSchema.safeParse([tag]).success).toBe(false);
  });

  it('should reject more than 20 tags', () => {
    expect(apiKeyTagsSchema.safeParse(Array.from({ length: 21 }, (_, i) => `t${i}`)).success).toBe(false);
  });
});

import { describe, expect, it } from '@jest/globals';
import { MAX_NAME_LENGTH, namespacedName } from './namespacing.js';

describe(namespacedName.name, () => {
  it('should join slug and name with a double underscore when short and safe', () => {
    expect(namespacedName('everything', 'echo')).toBe('everything__echo');
  });

  it('should truncate deterministically with a hash when longer than 64 chars', () => {
    const long = 'a'.repeat(80);
    const name = namespacedName('server', long);
    expect(name).toHaveLength(MAX_NAME_LENGTH);
    expect(name).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    expect(namespacedName('server', long)).toBe(name);
    expect(namespacedName('server', `${long}b`)).not.toBe(name);
  });

  it('should replace characters LLM APIs reject and keep distinct originals distinct', () => {
    const dotted = namespacedName('fs', 'read.file');
    const underscored = namespacedName('fs', 'read_file');
    expect(dotted).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(dotted).not.toBe(underscored);
  });
});

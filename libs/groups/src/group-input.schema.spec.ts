import { describe, expect, it } from '@jest/globals';
import { DomainError, validate } from '#core';
import { ToolFilterMode } from './group.entity.js';
import { createGroupSchema, updateGroupSchema } from './group-input.schema.js';

const fieldOf = (schema: typeof createGroupSchema | typeof updateGroupSchema, input: unknown) => {
  try {
    validate(schema, input, 'input');
  } catch (error) {
    return (error as DomainError).details.field;
  }
  throw new Error('expected a validation error');
};

describe('updateGroupSchema', () => {
  it('should accept namespaced tool names and drop duplicates', () => {
    const out = validate(
      updateGroupSchema,
      { toolFilterMode: ToolFilterMode.ALLOW, toolFilter: ['everything__echo', 'git-hub__create_issue', 'everything__echo'] },
      'input',
    );
    expect(out.toolFilter).toEqual(['everything__echo', 'git-hub__create_issue']);
  });

  it.each([
    ['a name with a dot', ['everything.echo'], 'input.toolFilter.0'],
    ['a name with a space', ['ok', 'every thing'], 'input.toolFilter.1'],
    ['an empty name', [''], 'input.toolFilter.0'],
    ['a name over 64 characters', ['x'.repeat(65)], 'input.toolFilter.0'],
    ['too many names', Array.from({ length: 501 }, (_, i) => `t${i}`), 'input.toolFilter'],
  ])('should reject %s', (_case, toolFilter, field) => {
    expect(fieldOf(updateGroupSchema, { toolFilter })).toBe(field);
  });

  it('should reject an unknown mode and a bad slug', () => {
    expect(fieldOf(updateGroupSchema, { toolFilterMode: 'SOME' })).toBe('input.toolFilterMode');
    expect(fieldOf(updateGroupSchema, { slug: 'Bad Slug' })).toBe('input.slug');
  });

  it('should take a tool pinning mode on create and update, and refuse another value', () => {
    expect(validate(createGroupSchema, { name: 'n', toolPinning: 'ENFORCE' }, 'input').toolPinning).toBe('ENFORCE');
    expect(validate(updateGroupSchema, { toolPinning: 'OFF' }, 'input').toolPinning).toBe('OFF');
    expect(fieldOf(createGroupSchema, { name: 'n', toolPinning: 'STRICT' })).toBe('input.toolPinning');
    expect(fieldOf(updateGroupSchema, { toolPinning: 'warn' })).toBe('input.toolPinning');
  });
});

describe('createGroupSchema', () => {
  it('should require a name and reject unknown fields', () => {
    expect(fieldOf(createGroupSchema, { name: '  ' })).toBe('input.name');
    expect(fieldOf(createGroupSchema, { name: 'g', toolFilter: [] })).toBe('input');
    expect(validate(createGroupSchema, { name: ' Team ', slug: 'team' }, 'input')).toEqual({ name: 'Team', slug: 'team' });
  });
});

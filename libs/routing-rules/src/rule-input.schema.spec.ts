import { describe, expect, it } from '@jest/globals';
import { DomainError, ErrorCode, validate } from '#core';
import { createRoutingRuleSchema, updateRoutingRuleSchema } from './rule-input.schema.js';

const GROUP = '6f1c1f8e-8a59-4f3c-9a57-1f0b5c6f0a01';
const SERVER = '6f1c1f8e-8a59-4f3c-9a57-1f0b5c6f0a02';
const OTHER = '6f1c1f8e-8a59-4f3c-9a57-1f0b5c6f0a03';
const base = { groupId: GROUP, name: 'rule', priority: 10, action: { type: 'DENY', message: 'not here' } };

function problem(input: unknown, schema: typeof createRoutingRuleSchema | typeof updateRoutingRuleSchema = createRoutingRuleSchema) {
  try {
    validate(schema, input, 'input');
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe(ErrorCode.BAD_INPUT);
    return { field: (error as DomainError).details.field, message: (error as DomainError).message };
  }
  throw new Error('expected a validation error');
}
const fieldOf = (input: unknown) => problem(input).field;
const withConditions = (conditions: unknown) => ({ ...base, conditions });
const withAction = (action: unknown) => ({ ...base, action });

describe('createRoutingRuleSchema', () => {
  it('should normalise a full rule: absent parts left out, duplicates dropped, null meaning absent', () => {
    const out = validate(
      createRoutingRuleSchema,
      {
        ...base,
        name: '  Route echo  ',
        enabled: null,
        conditions: {
          tool: { glob: 'everything__*', regex: null },
          arguments: [
            { path: '$.query.limit', op: 'RANGE', min: 1, max: null },
            { path: 'flag', op: 'EQUALS', value: null, pattern: null },
            { path: 'items[0].name', op: 'REGEX', pattern: '^a' },
          ],
          keys: { keyIds: [SERVER, SERVER], tags: null },
        },
        action: { type: 'ROUTE', serverId: SERVER, replicaId: null, timeoutMs: 5000, message: null, serverIds: null },
      },
      'input',
    );
    expect(out).toEqual({
      groupId: GROUP,
      name: 'Route echo',
      priority: 10,
      enabled: null,
      conditions: {
        tool: { glob: 'everything__*' },
        arguments: [
          { path: '$.query.limit', op: 'RANGE', min: 1 },
          { path: 'flag', op: 'EQUALS', value: null },
          { path: 'items[0].name', op: 'REGEX', pattern: '^a' },
        ],
        keys: { keyIds: [SERVER] },
      },
      action: { type: 'ROUTE', serverId: SERVER, timeoutMs: 5000 },
    });
    expect(validate(createRoutingRuleSchema, { ...base, conditions: { arguments: [] } }, 'input').conditions).toEqual({});
  });

  it.each([
    ['a regex that does not compile', { arguments: [{ path: 'q', op: 'REGEX', pattern: '([a-z]' }] }, 'input.conditions.arguments.0.pattern', 'is not a valid regular expression'],
    ['a regex over 500 characters', { tool: { regex: 'a'.repeat(501) } }, 'input.conditions.tool.regex', 'at most 500'],
    ['a backtracking-only regex', { tool: { regex: String.raw`(a)\1` } }, 'input.conditions.tool.regex', 'linear time'],
    ['a glob with other wildcards', { tool: { glob: 'every[th]ing__*' } }, 'input.conditions.tool.glob', 'wildcards'],
    ['both glob and regex', { tool: { glob: '*', regex: '.' } }, 'input.conditions.tool', 'exactly one'],
    ['neither glob nor regex', { tool: {} }, 'input.conditions.tool', 'exactly one'],
    ['a malformed path', { arguments: [{ path: 'a..b', op: 'EQUALS', value: 1 }] }, 'input.conditions.arguments.0.path', 'dotted path'],
    ['an unknown op', { arguments: [{ path: 'a', op: 'LIKE', value: 1 }] }, 'input.conditions.arguments.0.op', 'EQUALS, REGEX or RANGE'],
    ['EQUALS without value', { arguments: [{ path: 'a', op: 'EQUALS' }] }, 'input.conditions.arguments.0.value', 'is required for EQUALS'],
    ['REGEX without pattern', { arguments: [{ path: 'a', op: 'REGEX' }] }, 'input.conditions.arguments.0.pattern', 'is required for REGEX'],
    ['RANGE without bounds', { arguments: [{ path: 'a', op: 'RANGE' }] }, 'input.conditions.arguments.0.min', 'min, max or both'],
    ['RANGE with min > max', { arguments: [{ path: 'a', op: 'RANGE', min: 5, max: 1 }] }, 'input.conditions.arguments.0.min', 'greater than max (1)'],
    ['a field the op does not use', { arguments: [{ path: 'a', op: 'RANGE', min: 1, pattern: 'x' }] }, 'input.conditions.arguments.0.pattern', 'not used by RANGE'],
    ['a key id that is not a UUID', { keys: { keyIds: ['k1'] } }, 'input.conditions.keys.keyIds.0', 'UUID'],
    ['a bad key tag', { keys: { tags: ['CI'] } }, 'input.conditions.keys.tags.0', 'a-z, 0-9'],
    ['an empty key condition', { keys: { keyIds: [], tags: null } }, 'input.conditions.keys', 'keyIds, tags or both'],
    ['an unknown condition', { header: 'x' }, 'input.conditions', 'Unrecognized key'],
  ])('should reject %s naming the field', (_case, conditions, field, message) => {
    const { field: actual, message: text } = problem(withConditions(conditions));
    expect(actual).toBe(field);
    expect(text).toContain(`${field}: `);
    expect(text).toContain(message);
  });

  it.each([
    ['DENY without message', { type: 'DENY' }, 'input.action.message', 'is required for DENY'],
    ['DENY with a blank message', { type: 'DENY', message: '  ' }, 'input.action.message', 'must not be empty'],
    ['ROUTE without server', { type: 'ROUTE' }, 'input.action.serverId', 'is required for ROUTE'],
    ['ROUTE with a malformed replica', { type: 'ROUTE', serverId: SERVER, replicaId: 'r1' }, 'input.action.replicaId', 'UUID'],
    ['TIMEOUT without timeout', { type: 'TIMEOUT' }, 'input.action.timeoutMs', 'is required for TIMEOUT'],
    ['a timeout below 100 ms', { type: 'TIMEOUT', timeoutMs: 99 }, 'input.action.timeoutMs', 'between 100 and 600000'],
    ['a timeout above 600000 ms', { type: 'ROUTE', serverId: SERVER, timeoutMs: 600_001 }, 'input.action.timeoutMs', 'between 100 and 600000'],
    ['an empty fallback list', { type: 'FALLBACK', serverIds: [] }, 'input.action.serverIds', 'at least one'],
    ['a fallback list naming a server twice', { type: 'FALLBACK', serverIds: [SERVER, OTHER, SERVER] }, 'input.action.serverIds.2', 'twice'],
    ['a field the type does not use', { type: 'DENY', message: 'no', serverId: SERVER }, 'input.action.serverId', 'not used by DENY'],
    ['an unknown type', { type: 'REWRITE' }, 'input.action.type', 'ROUTE, DENY, TIMEOUT or FALLBACK'],
  ])('should reject %s naming the field', (_case, action, field, message) => {
    const { field: actual, message: text } = problem(withAction(action));
    expect(actual).toBe(field);
    expect(text).toContain(message);
  });

  it('should check name, priority and group id', () => {
    expect(fieldOf({ ...base, name: ' ' })).toBe('input.name');
    expect(fieldOf({ ...base, priority: 1.5 })).toBe('input.priority');
    expect(fieldOf({ ...base, priority: -1 })).toBe('input.priority');
    expect(fieldOf({ ...base, groupId: 'team-a' })).toBe('input.groupId');
  });
});

describe('updateRoutingRuleSchema', () => {
  it('should accept a partial update and validate what is given', () => {
    expect(validate(updateRoutingRuleSchema, { enabled: false }, 'input')).toEqual({ enabled: false });
    expect(problem({ action: { type: 'FALLBACK' } }, updateRoutingRuleSchema).field).toBe('input.action.serverIds');
    expect(problem({ groupId: GROUP }, updateRoutingRuleSchema).field).toBe('input');
  });
});

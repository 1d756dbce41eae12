import { z } from 'zod';
import { apiKeyTagSchema } from '#keys';
import { parseJsonPath } from './evaluation/json-path.js';
import { regexProblem } from './evaluation/linear-regex.js';
import { GLOB_PATTERN } from './evaluation/tool-glob.js';
import {
  ArgumentOp,
  RULE_LIMITS as L,
  RuleActionType,
  type ArgumentCondition,
  type JsonValue,
  type KeyCondition,
  type RuleAction,
  type RuleConditions,
  type ToolCondition,
} from './rule-definition.js';

const nameSchema = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');
const prioritySchema = z
  .number('must be a whole number')
  .int('must be a whole number')
  .min(0, `must be between 0 and ${L.maxPriority}`)
  .max(L.maxPriority, `must be between 0 and ${L.maxPriority}`);
const timeoutSchema = z
  .number('must be a number of milliseconds')
  .int('must be a whole number of milliseconds')
  .min(L.minTimeoutMs, `must be between ${L.minTimeoutMs} and ${L.maxTimeoutMs} ms`)
  .max(L.maxTimeoutMs, `must be between ${L.minTimeoutMs} and ${L.maxTimeoutMs} ms`);

const regexSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(L.regexLength, `must be at most ${L.regexLength} characters`)
  .superRefine((source, ctx) => {
    const problem = regexProblem(source);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
const globSchema = z
  .string()
  .regex(GLOB_PATTERN, `must be 1-${L.globLength} characters of A-Z, a-z, 0-9, "_", "-" and the wildcards * (any run) and ? (one character)`);
const pathSchema = z
  .string()
  .max(L.pathLength, `must be at most ${L.pathLength} characters`)
  .refine(
    (path) => parseJsonPath(path, L.pathDepth) !== null,
    `must be a dotted path into the arguments like $.query.limit or items[0].name (keys joined by ".", optional [n] indexes, at most ${L.pathDepth} steps)`,
  );
const jsonValueSchema = z
  .json('must be a JSON value')
  .refine((value) => Buffer.byteLength(JSON.stringify(value)) <= L.equalsValueBytes, `must be at most ${L.equalsValueBytes} bytes as JSON`);
const uuid = (what: string) => z.uuid(`must be ${what} (UUID)`);

/** Given = neither null nor undefined: GraphQL clients send null for fields a form leaves empty. */
const given = (value: unknown) => value !== null && value !== undefined;

const toolConditionSchema = z
  .strictObject({ glob: globSchema.nullish(), regex: regexSchema.nullish() })
  .superRefine((tool, ctx) => {
    if (given(tool.glob) === given(tool.regex)) ctx.addIssue({ code: 'custom', message: 'must give exactly one of glob and regex' });
  })
  .transform((tool): ToolCondition => (given(tool.glob) ? { glob: tool.glob! } : { regex: tool.regex! }));

const argumentConditionSchema = z
  .strictObject({
    path: pathSchema,
    op: z.enum(ArgumentOp, 'must be EQUALS, REGEX or RANGE'),
    // null is a value EQUALS can compare with; only undefined means absent.
    value: jsonValueSchema.optional(),
    pattern: regexSchema.nullish(),
    min: z.number('must be a number').nullish(),
    max: z.number('must be a number').nullish(),
  })
  .superRefine((condition, ctx) => {
    const issue = (field: string, message: string) => ctx.addIssue({ code: 'custom', path: [field], message });
    const forbid = (...fields: ('value' | 'pattern' | 'min' | 'max')[]) => {
      for (const field of fields) if (given(condition[field])) issue(field, `is not used by ${condition.op}; leave it out`);
    };
    if (condition.op === 'EQUALS') {
      if (condition.value === undefined) issue('value', 'is required for EQUALS (any JSON value; null compares with null)');
      forbid('pattern', 'min', 'max');
    } else if (condition.op === 'REGEX') {
      if (!given(condition.pattern)) issue('pattern', 'is required for REGEX');
      forbid('value', 'min', 'max');
    } else {
      if (!given(condition.min) && !given(condition.max)) issue('min', 'RANGE needs min, max or both');
      else if (given(condition.min) && given(condition.max) && condition.min! > condition.max!) issue('min', `must not be greater than max (${condition.max})`);
      forbid('value', 'pattern');
    }
  })
  .transform((c): ArgumentCondition => {
    if (c.op === 'EQUALS') return { path: c.path, op: c.op, value: c.value as JsonValue };
    if (c.op === 'REGEX') return { path: c.path, op: c.op, pattern: c.pattern! };
    return { path: c.path, op: c.op, ...(given(c.min) && { min: c.min! }), ...(given(c.max) && { max: c.max! }) };
  });

const keyConditionSchema = z
  .strictObject({
    keyIds: z.array(uuid('an API key id')).max(L.keyIds, `must have at most ${L.keyIds} entries`).nullish(),
    tags: z.array(apiKeyTagSchema).max(20, 'must have at most 20 tags').nullish(),
  })
  .superRefine((keys, ctx) => {
    if (!keys.keyIds?.length && !keys.tags?.length) ctx.addIssue({ code: 'custom', message: 'must list keyIds, tags or both' });
  })
  .transform((keys): KeyCondition => ({
    ...(keys.keyIds?.length && { keyIds: [...new Set(keys.keyIds)] }),
    ...(keys.tags?.length && { tags: [...new Set(keys.tags)] }),
  }));

export const conditionsSchema = z
  .strictObject({
    tool: toolConditionSchema.nullish(),
    arguments: z.array(argumentConditionSchema).max(L.arguments, `must have at most ${L.arguments} conditions`).nullish(),
    keys: keyConditionSchema.nullish(),
  })
  .transform((c): RuleConditions => ({
    ...(c.tool && { tool: c.tool }),
    ...(c.arguments?.length && { arguments: c.arguments }),
    ...(c.keys && { keys: c.keys }),
  }));

const ACTION_FIELDS = {
  ROUTE: ['serverId', 'replicaId', 'timeoutMs'],
  DENY: ['message'],
  TIMEOUT: ['timeoutMs'],
  FALLBACK: ['serverIds', 'timeoutMs'],
} as const;

export const actionSchema = z
  .strictObject({
    type: z.enum(RuleActionType, 'must be ROUTE, DENY, TIMEOUT or FALLBACK'),
    serverId: uuid('a server id').nullish(),
    replicaId: uuid('a replica id').nullish(),
    timeoutMs: timeoutSchema.nullish(),
    message: z.string().trim().min(1, 'must not be empty').max(L.messageLength, `must be at most ${L.messageLength} characters`).nullish(),
    serverIds: z.array(uuid('a list of server ids')).max(L.fallbackServers, `must have at most ${L.fallbackServers} servers`).nullish(),
  })
  .superRefine((action, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    const require = (field: keyof typeof action, why: string) => {
      if (!given(action[field])) issue([field], `is required for ${action.type}: ${why}`);
    };
    if (action.type === 'ROUTE') require('serverId', 'the server of the group that takes the call');
    if (action.type === 'DENY') require('message', 'the agent sees it as the error');
    if (action.type === 'TIMEOUT') require('timeoutMs', `the upstream timeout (${L.minTimeoutMs}-${L.maxTimeoutMs} ms)`);
    if (action.type === 'FALLBACK') {
      if (!action.serverIds?.length) issue(['serverIds'], 'must list at least one server of the group for FALLBACK');
      action.serverIds?.forEach((id, i) => {
        if (action.serverIds!.indexOf(id) !== i) issue(['serverIds', i], `lists server ${id} twice`);
      });
    }
    const used: readonly string[] = ACTION_FIELDS[action.type];
    for (const field of ['serverId', 'replicaId', 'timeoutMs', 'message', 'serverIds'] as const) {
      if (!used.includes(field) && given(action[field])) issue([field], `is not used by ${action.type}; leave it out`);
    }
  })
  .transform((a): RuleAction => {
    const timeout = given(a.timeoutMs) ? { timeoutMs: a.timeoutMs! } : {};
    switch (a.type) {
      case 'ROUTE':
        return { type: a.type, serverId: a.serverId!, ...(given(a.replicaId) && { replicaId: a.replicaId! }), ...timeout };
      case 'DENY':
        return { type: a.type, message: a.message! };
      case 'TIMEOUT':
        return { type: a.type, timeoutMs: a.timeoutMs! };
      case 'FALLBACK':
        return { type: a.type, serverIds: a.serverIds!, ...timeout };
    }
  });

export const createRoutingRuleSchema = z.strictObject({
  groupId: uuid('a group id'),
  name: nameSchema,
  priority: prioritySchema,
  enabled: z.boolean().nullish(),
  conditions: conditionsSchema.nullish(),
  action: actionSchema,
});

/** Absent or null leaves a field unchanged; conditions and action given replace the stored ones whole. */
export const updateRoutingRuleSchema = z.strictObject({
  name: nameSchema.nullish(),
  priority: prioritySchema.nullish(),
  enabled: z.boolean().nullish(),
  conditions: conditionsSchema.nullish(),
  action: actionSchema.nullish(),
});

export type CreateRoutingRule = z.input<typeof createRoutingRuleSchema>;
export type UpdateRoutingRule = z.input<typeof updateRoutingRuleSchema>;

/** Server ids an action sends calls to; each must be a member of the rule's group. */
export function actionServerFields(action: RuleAction): { field: string; serverId: string }[] {
  if (action.type === 'ROUTE') return [{ field: 'serverId', serverId: action.serverId }];
  if (action.type === 'FALLBACK') return action.serverIds.map((serverId, i) => ({ field: `serverIds.${i}`, serverId }));
  return [];
}

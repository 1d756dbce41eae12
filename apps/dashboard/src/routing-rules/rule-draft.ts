import type { ActionLike, ConditionsLike } from './rule-text';

export type ActionType = 'ROUTE' | 'DENY' | 'TIMEOUT' | 'FALLBACK';
export type ArgumentOp = 'EQUALS' | 'REGEX' | 'RANGE';
export type ToolKind = 'ANY' | 'GLOB' | 'REGEX';

export interface ArgumentDraft {
  path: string;
  op: ArgumentOp;
  /** EQUALS: JSON text; text that is not JSON is taken as a string. */
  value: string;
  pattern: string;
  min: number | string;
  max: number | string;
}

/** What the rule form edits: strings and numbers as inputs hold them. */
export interface RuleDraft {
  name: string;
  priority: number | string;
  enabled: boolean;
  toolKind: ToolKind;
  toolPattern: string;
  args: ArgumentDraft[];
  keyIds: string[];
  tags: string[];
  actionType: ActionType;
  serverId: string | null;
  replicaId: string | null;
  timeoutMs: number | string;
  message: string;
  serverIds: string[];
}

export interface StoredRule {
  name: string;
  priority: number;
  enabled: boolean;
  conditions: ConditionsLike;
  action: ActionLike;
}

export const EMPTY_ARGUMENT: ArgumentDraft = { path: '', op: 'EQUALS', value: '', pattern: '', min: '', max: '' };

export function newDraft(priority: number): RuleDraft {
  return {
    name: '',
    priority,
    enabled: true,
    toolKind: 'GLOB',
    toolPattern: '',
    args: [],
    keyIds: [],
    tags: [],
    actionType: 'ROUTE',
    serverId: null,
    replicaId: null,
    timeoutMs: '',
    message: '',
    serverIds: [],
  };
}

export function draftOf(rule: StoredRule): RuleDraft {
  const { conditions: c, action: a } = rule;
  return {
    name: rule.name,
    priority: rule.priority,
    enabled: rule.enabled,
    toolKind: c.tool?.glob ? 'GLOB' : c.tool?.regex ? 'REGEX' : 'ANY',
    toolPattern: c.tool?.glob ?? c.tool?.regex ?? '',
    args: (c.arguments ?? []).map((x) => ({
      path: x.path,
      op: x.op as ArgumentOp,
      value: x.op === 'EQUALS' ? JSON.stringify(x.value) : '',
      pattern: x.pattern ?? '',
      min: x.min ?? '',
      max: x.max ?? '',
    })),
    keyIds: [...(c.keys?.keyIds ?? [])],
    tags: [...(c.keys?.tags ?? [])],
    actionType: a.type as ActionType,
    serverId: a.serverId ?? null,
    replicaId: a.replicaId ?? null,
    timeoutMs: a.timeoutMs ?? '',
    message: a.message ?? '',
    serverIds: [...(a.serverIds ?? [])],
  };
}

const num = (v: number | string): number | null => (typeof v === 'number' ? v : v.trim() === '' ? null : Number(v));

function jsonValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The API's input; fields the action type does not use are left out (the hub refuses them). */
export function inputOf(d: RuleDraft) {
  const timeoutMs = num(d.timeoutMs);
  const action =
    d.actionType === 'ROUTE'
      ? { type: d.actionType, serverId: d.serverId, replicaId: d.replicaId, timeoutMs }
      : d.actionType === 'DENY'
        ? { type: d.actionType, message: d.message }
        : d.actionType === 'TIMEOUT'
          ? { type: d.actionType, timeoutMs }
          : { type: d.actionType, serverIds: d.serverIds, timeoutMs };
  return {
    name: d.name,
    priority: num(d.priority) ?? Number.NaN,
    enabled: d.enabled,
    conditions: {
      tool: d.toolKind === 'GLOB' ? { glob: d.toolPattern } : d.toolKind === 'REGEX' ? { regex: d.toolPattern } : null,
      arguments: d.args.map((a) =>
        a.op === 'EQUALS'
          ? { path: a.path, op: a.op, value: jsonValue(a.value) }
          : a.op === 'REGEX'
            ? { path: a.path, op: a.op, pattern: a.pattern }
            : { path: a.path, op: a.op, min: num(a.min), max: num(a.max) },
      ),
      keys: d.keyIds.length || d.tags.length ? { keyIds: d.keyIds, tags: d.tags } : null,
    },
    action,
  };
}

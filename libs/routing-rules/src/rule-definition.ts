/**
 * What a routing rule is, as stored (jsonb) and as the gateway evaluates it. Plain literal unions rather than TS
 * enums, so the data plane can write `action.type === 'DENY'`; the const objects also register the GraphQL enums.
 */
export const ArgumentOp = { EQUALS: 'EQUALS', REGEX: 'REGEX', RANGE: 'RANGE' } as const;
export type ArgumentOp = (typeof ArgumentOp)[keyof typeof ArgumentOp];

export const RuleActionType = { ROUTE: 'ROUTE', DENY: 'DENY', TIMEOUT: 'TIMEOUT', FALLBACK: 'FALLBACK' } as const;
export type RuleActionType = (typeof RuleActionType)[keyof typeof RuleActionType];

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * Matched against the tool name the agent called and the tool's other names (`everything__echo`, its server's own
 * `echo`): a rule keeps matching its tool whatever the group's naming mode. See RuleCall.toolAliases.
 */
export type ToolCondition = { glob: string } | { regex: string };

/** `path` is a dotted path into the call's arguments: `$.query.limit`, `items[0].name`. A missing path never matches. */
export type ArgumentCondition =
  | { path: string; op: 'EQUALS'; value: JsonValue }
  | { path: string; op: 'REGEX'; pattern: string }
  | { path: string; op: 'RANGE'; min?: number; max?: number };

/** Matches when the calling key is listed or carries one of the tags. */
export interface KeyCondition {
  keyIds?: string[];
  tags?: string[];
}

/** Every part given must match; none matches every call. */
export interface RuleConditions {
  tool?: ToolCondition;
  arguments?: ArgumentCondition[];
  keys?: KeyCondition;
}

export type RuleAction =
  /** Call the same upstream tool on this server of the group instead of the namespace owner. */
  | { type: 'ROUTE'; serverId: string; replicaId?: string; timeoutMs?: number }
  /** Refuse the call with this message. */
  | { type: 'DENY'; message: string }
  /** Namespace routing with this upstream timeout. */
  | { type: 'TIMEOUT'; timeoutMs: number }
  /** Try these servers of the group in order; the next only when the previous is unavailable (connection error, timeout). */
  | { type: 'FALLBACK'; serverIds: string[]; timeoutMs?: number };

export interface RuleDefinition {
  id: string;
  name: string;
  /** Evaluation order, ascending; unique within a group. */
  priority: number;
  enabled: boolean;
  conditions: RuleConditions;
  action: RuleAction;
}

/** One `tools/call` as rules see it. */
export interface RuleCall {
  /** As the agent called it. */
  toolName: string;
  /** The tool's other names (prefixed, the server's own); a tool condition matching any of them matches. */
  toolAliases?: readonly string[];
  arguments: Record<string, unknown> | undefined;
  keyId: string;
  keyTags: string[];
}

export interface RuleDecision {
  rule: { id: string; name: string; priority: number } | null;
  action: RuleAction | null;
}

/** Limits shared by validation and its messages. */
export const RULE_LIMITS = {
  regexLength: 500,
  globLength: 128,
  pathLength: 200,
  pathDepth: 32,
  arguments: 20,
  keyIds: 100,
  fallbackServers: 10,
  messageLength: 500,
  equalsValueBytes: 4096,
  minTimeoutMs: 100,
  maxTimeoutMs: 600_000,
  maxPriority: 1_000_000,
  rulesPerGroup: 200,
} as const;

import type { ArgumentCondition, RuleAction, RuleCall, RuleDecision, RuleDefinition, ToolCondition } from '../rule-definition.js';
import { compileEquals } from './json-equals.js';
import { parseJsonPath, readPath, type PathSegment } from './json-path.js';
import { compileRuleRegex, regexProblem } from './linear-regex.js';
import { globMatches } from './tool-glob.js';

/** A group's rules, ready for the hot path: evaluate() reads memory only and allocates nothing. */
export interface CompiledRuleSet {
  /** Enabled rules, the ones evaluate() considers. */
  readonly size: number;
  /** The first enabled rule, by ascending priority, whose conditions all match; else NO_RULE_MATCHED. */
  evaluate(call: RuleCall): RuleDecision;
}

export const NO_RULE_MATCHED: RuleDecision = Object.freeze({ rule: null, action: null });

type Test = (value: unknown) => boolean;

interface CompiledRule {
  /** Returned as is for every match: built (and frozen) once. */
  decision: RuleDecision;
  tool: ((name: string) => boolean) | null;
  paths: PathSegment[][];
  tests: Test[];
  keyIds: ReadonlySet<string> | null;
  tags: ReadonlySet<string> | null;
}

/**
 * Compiles rules once (regexes, globs, paths, expected values), skipping disabled ones. Throws naming the rule
 * when a definition is malformed; RoutingRulesService validates with the same pieces before saving.
 */
export function compileRuleSet(rules: readonly RuleDefinition[]): CompiledRuleSet {
  const ordered = rules
    .filter((rule) => rule.enabled)
    .sort((a, b) => a.priority - b.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map(compileRule);
  return new CompiledRules(ordered);
}

class CompiledRules implements CompiledRuleSet {
  constructor(private readonly rules: readonly CompiledRule[]) {}

  get size(): number {
    return this.rules.length;
  }

  evaluate(call: RuleCall): RuleDecision {
    for (let i = 0; i < this.rules.length; i++) {
      const rule = this.rules[i];
      if (matches(rule, call)) return rule.decision;
    }
    return NO_RULE_MATCHED;
  }
}

function matches(rule: CompiledRule, call: RuleCall): boolean {
  if (rule.tool && !matchesTool(rule.tool, call)) return false;
  for (let i = 0; i < rule.tests.length; i++) {
    if (!rule.tests[i](readPath(call.arguments, rule.paths[i]))) return false;
  }
  if (rule.keyIds || rule.tags) {
    let listed = rule.keyIds?.has(call.keyId) ?? false;
    if (!listed && rule.tags) for (let i = 0; i < call.keyTags.length && !listed; i++) listed = rule.tags.has(call.keyTags[i]);
    if (!listed) return false;
  }
  return true;
}

function matchesTool(test: (name: string) => boolean, call: RuleCall): boolean {
  if (test(call.toolName)) return true;
  const aliases = call.toolAliases;
  if (aliases) for (let i = 0; i < aliases.length; i++) if (test(aliases[i])) return true;
  return false;
}

function compileRule(rule: RuleDefinition): CompiledRule {
  const fail = (problem: string): never => {
    throw new Error(`Routing rule "${rule.name}" (${rule.id}): ${problem}`);
  };
  const { tool, arguments: args = [], keys } = rule.conditions;
  const paths = args.map((condition, i) => parseJsonPath(condition.path) ?? fail(`conditions.arguments.${i}.path is malformed`));
  const tests = args.map((condition, i) => argumentTest(condition, (problem) => fail(`conditions.arguments.${i}: ${problem}`)));
  return {
    decision: deepFreeze({ rule: { id: rule.id, name: rule.name, priority: rule.priority }, action: structuredClone(rule.action) as RuleAction }),
    tool: tool ? toolTest(tool, (problem) => fail(`conditions.tool: ${problem}`)) : null,
    paths,
    tests,
    keyIds: keys ? new Set(keys.keyIds ?? []) : null,
    tags: keys?.tags?.length ? new Set(keys.tags) : null,
  };
}

function toolTest(condition: ToolCondition, fail: (problem: string) => never): (name: string) => boolean {
  if ('glob' in condition) {
    const glob = condition.glob;
    return /[*?]/.test(glob) ? (name) => globMatches(glob, name) : (name) => name === glob;
  }
  const regex = safeRegex(condition.regex, fail);
  return (name) => regex.test(name);
}

function argumentTest(condition: ArgumentCondition, fail: (problem: string) => never): Test {
  switch (condition.op) {
    case 'EQUALS':
      return compileEquals(condition.value);
    case 'REGEX': {
      const regex = safeRegex(condition.pattern, fail);
      return (value) => typeof value === 'string' && regex.test(value);
    }
    case 'RANGE': {
      const min = condition.min ?? -Infinity;
      const max = condition.max ?? Infinity;
      return (value) => typeof value === 'number' && value >= min && value <= max;
    }
    default:
      return fail(`unknown op ${String((condition as { op: unknown }).op)}`);
  }
}

function safeRegex(source: string, fail: (problem: string) => never): RegExp {
  const problem = regexProblem(source);
  return problem ? fail(`regex ${problem}`) : compileRuleRegex(source);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

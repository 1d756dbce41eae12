import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { GraphQLError, parse, specifiedRules, validate, type DocumentNode, type GraphQLSchema, type ValidationContext, type ValidationRule } from 'graphql';
import type { HubConfig } from '#core';

/**
 * Depth, alias and cost limits (graphql-armor), checked during validation so a refused operation never executes.
 * Refusals are reported as ordinary validation errors (code GRAPHQL_VALIDATION_FAILED) instead of being thrown,
 * which would abort validation with an unexpected error.
 */
export function graphqlLimitRules(limits: HubConfig['graphql']): ValidationRule[] {
  const report = {
    propagateOnRejection: false,
    onReject: [
      (context: ValidationContext | null, error: GraphQLError) =>
        context?.reportError(
          // armor prefixes "Syntax Error: "; the operation parsed fine, it is over a limit.
          new GraphQLError(error.message.replace(/^Syntax Error: /, 'Operation refused: '), {
            extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
          }),
        ),
    ],
  };
  return [
    // Fragments add no depth of their own: only nested fields do.
    maxDepthRule({ n: limits.maxDepth, flattenFragments: true, ...report }),
    maxAliasesRule({ n: limits.maxAliases, ...report }),
    costLimitRule({ maxCost: limits.maxCost, ...report }),
  ];
}

/**
 * Validation walks the whole document once per rule, so a flood of aliases costs hundreds of milliseconds before any
 * limit can refuse it. The parser stops at this many tokens first, in a few milliseconds. A dashboard page is a few
 * hundred tokens; 30 aliases of a large selection stay well below it.
 */
export const GRAPHQL_MAX_TOKENS = 5_000;
export const graphqlParseOptions = { maxTokens: GRAPHQL_MAX_TOKENS };

/** graphql-ws parses and validates on its own: the same limits for subscriptions. */
export function graphqlWsLimits(rules: ValidationRule[]) {
  return {
    parse: (source: string) => parse(source, graphqlParseOptions),
    validate: (schema: GraphQLSchema, document: DocumentNode) => validate(schema, document, [...specifiedRules, ...rules]),
  };
}

import type { ExecutionResult } from 'graphql';
import { formatGraphQLError, type GraphQLErrorLog } from '#core';

/**
 * graphql-ws sends results without Apollo's formatError: map their errors the same way, so a refused subscription
 * carries its code (UNAUTHENTICATED, NOT_FOUND, …) and an unexpected fault is not shown to the subscriber.
 */
export function graphqlWsResults(log: GraphQLErrorLog) {
  return {
    onNext: (_ctx: unknown, _id: string, _payload: unknown, _args: unknown, result: ExecutionResult) =>
      result.errors?.length ? { ...result, errors: result.errors.map((error) => formatGraphQLError(error.toJSON(), error, log)) } : undefined,
  };
}

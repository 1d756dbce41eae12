import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { DomainError, ErrorCode } from './domain-error.js';

const GRAPHQL_CODES: Record<ErrorCode, string> = {
  [ErrorCode.BAD_INPUT]: 'BAD_USER_INPUT',
  [ErrorCode.UNAUTHENTICATED]: 'UNAUTHENTICATED',
  [ErrorCode.FORBIDDEN]: 'FORBIDDEN',
  [ErrorCode.NOT_FOUND]: 'NOT_FOUND',
  [ErrorCode.CONFLICT]: 'CONFLICT',
  [ErrorCode.RATE_LIMITED]: 'RATE_LIMITED',
  [ErrorCode.SECRET_UNREADABLE]: 'INTERNAL_SERVER_ERROR',
  [ErrorCode.UPSTREAM_UNAVAILABLE]: 'UPSTREAM_UNAVAILABLE',
};

/** Apollo formatError: domain errors keep their message and get a stable code; anything else is hidden (and logged). */
export function formatGraphQLError(formatted: GraphQLFormattedError, error: unknown, log?: (error: unknown) => void): GraphQLFormattedError {
  const original = error instanceof GraphQLError ? error.originalError : error;
  if (original instanceof DomainError) {
    return {
      ...formatted,
      message: original.message,
      extensions: { ...original.details, code: GRAPHQL_CODES[original.code] },
    };
  }
  const code = formatted.extensions?.code;
  // Validation/parse errors from graphql-js itself are safe and useful; unexpected errors are not.
  if (code === 'GRAPHQL_VALIDATION_FAILED' || code === 'GRAPHQL_PARSE_FAILED' || code === 'BAD_USER_INPUT') {
    return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions: { code } };
  }
  log?.(original ?? error);
  return { message: 'Internal server error', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}

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
  [ErrorCode.CREDENTIAL_MISSING]: 'CREDENTIAL_MISSING',
};

/** Errors graphql-js or Apollo raise for a request the client got wrong: safe to show, not a fault of the hub. */
const CLIENT_CODES = new Set([
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'PERSISTED_QUERY_NOT_FOUND',
]);

/** Apollo's wording for a JSON array body; ours says what to do instead. */
const APOLLO_BATCH_MESSAGE = 'Operation batching disabled.';
export const BATCH_REFUSED_MESSAGE = 'Batched requests (a JSON array body) are not supported: send one operation per request';

export interface GraphQLErrorLog {
  /** A mistake of the caller (bad query, bad input, not found...): worth a line, never a stack trace. */
  client(entry: { code: string; message: string; path?: readonly (string | number)[] }): void;
  /** Anything else is a fault of the hub: hidden from the caller, logged in full. */
  unexpected(error: unknown, path?: readonly (string | number)[]): void;
}

/** Apollo formatError: domain errors keep their message and get a stable code; anything else is hidden (and logged). */
export function formatGraphQLError(formatted: GraphQLFormattedError, error: unknown, log?: GraphQLErrorLog): GraphQLFormattedError {
  const original = error instanceof GraphQLError ? error.originalError : error;
  if (original instanceof DomainError) {
    const code = GRAPHQL_CODES[original.code];
    if (original.code === ErrorCode.SECRET_UNREADABLE) log?.unexpected(original, formatted.path);
    else log?.client({ code, message: original.message, path: formatted.path });
    return { ...formatted, message: original.message, extensions: { ...original.details, code } };
  }
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && CLIENT_CODES.has(code)) {
    const message = code === 'BAD_REQUEST' && formatted.message === APOLLO_BATCH_MESSAGE ? BATCH_REFUSED_MESSAGE : formatted.message;
    log?.client({ code, message, path: formatted.path });
    return { message, locations: formatted.locations, path: formatted.path, extensions: { code } };
  }
  log?.unexpected(original ?? error, formatted.path);
  return { message: 'Internal server error', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}

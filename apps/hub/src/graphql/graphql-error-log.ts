import { scrubText, type GraphQLErrorLog, type Logger } from '#core';

/**
 * graphql-js quotes the offending input in its messages ("got invalid value { password: ... }"), which can be a
 * secret the caller mistyped: the caller gets it back, the log gets the shape of the mistake only.
 */
export function redactInputValues(message: string): string {
  return scrubText(message)
    .replace(/(got invalid value )[\s\S]*?(; |$)/g, '$1[REDACTED]$2')
    .replace(/(cannot represent [^:]*: )[\s\S]*?(; |$)/g, '$1[REDACTED]$2')
    .replace(/(Expected value of type "[^"]+", found )[\s\S]*?(; |\.$|$)/g, '$1[REDACTED]$2');
}

/** Client mistakes at warn without a stack (they are routine); faults of the hub at error with one. */
export function graphqlErrorLog(logger: Logger): GraphQLErrorLog {
  return {
    client: ({ code, message, path }) => logger.warn({ code, path }, `GraphQL request refused: ${redactInputValues(message)}`),
    unexpected: (error, path) =>
      logger.error({ err: error instanceof Error ? error.stack : String(error), path }, 'unexpected GraphQL error'),
  };
}

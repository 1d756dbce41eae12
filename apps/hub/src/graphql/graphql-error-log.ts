import type { GraphQLErrorLog, Logger } from '#core';

/** Client mistakes at warn without a stack (they are routine); faults of the hub at error with one. */
export function graphqlErrorLog(logger: Logger): GraphQLErrorLog {
  return {
    client: ({ code, message, path }) => logger.warn({ code, path }, `GraphQL request refused: ${message}`),
    unexpected: (error, path) =>
      logger.error({ err: error instanceof Error ? error.stack : String(error), path }, 'unexpected GraphQL error'),
  };
}

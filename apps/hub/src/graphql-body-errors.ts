import type { NextFunction, Request, Response } from 'express';

/**
 * Error middleware for /graphql: a body the JSON parser refuses (bad JSON, unsupported charset, too large) gets a
 * GraphQL-shaped answer with a code, like every other GraphQL error, instead of the framework's own error format.
 */
export function graphqlBodyErrors(error: unknown, _req: Request, res: Response, next: NextFunction): void {
  const status = (error as { status?: unknown })?.status;
  if (typeof status !== 'number' || status < 400 || status >= 500 || res.headersSent) return next(error);
  const code = status === 413 ? 'PAYLOAD_TOO_LARGE' : status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : 'BAD_REQUEST';
  res.status(status).json({ errors: [{ message: `Invalid request body: ${(error as Error).message}`, extensions: { code } }] });
}

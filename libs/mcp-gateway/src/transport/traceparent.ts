import type { Request } from 'express';

/** The agent's W3C trace context, when it sent one (a repeated header is ignored). */
export const traceparentOf = (req: Request): string | undefined => {
  const value = req.headers.traceparent;
  return typeof value === 'string' ? value : undefined;
};

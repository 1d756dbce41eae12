import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

/** What every log line, audit entry and call-log entry of one HTTP request shares. */
export interface RequestContext {
  readonly correlationId: string;
  readonly ip?: string;
  readonly userAgent?: string;
  /** Set once the request is authenticated (a person's token or an agent's key). */
  actorId?: string;
  authMethod?: string;
  /** Who the actor is to a person reading the audit log (an email); for a failed sign-in, the account tried. */
  actorLabel?: string;
  /**
   * The audited operation (a GraphQL mutation) this code runs for, set by the audit lib in a context of its own per
   * mutation. Kept here rather than in a second AsyncLocalStorage, which would cost every async step of every request.
   */
  readonly auditScope?: object;
}

const storage = new AsyncLocalStorage<RequestContext>();

export const CORRELATION_HEADER = 'x-request-id';
// A caller's id is kept only when it is short and plain, so it cannot inject anything into logs or headers.
const ACCEPTED_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/** The current request's context, if this code runs on behalf of one. */
export function currentRequest(): RequestContext | undefined {
  return storage.getStore();
}

/** Records who the current request acts as (or, for a failed sign-in, claims to be); outside a request it does nothing. */
export function identifyRequest(who: Pick<RequestContext, 'actorId' | 'authMethod' | 'actorLabel'>): void {
  const request = storage.getStore();
  if (request) Object.assign(request, who);
}

/** Runs `fn` in a context of its own (jobs, tests); a request gets one from the middleware below. */
export function withRequestContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

/**
 * Express middleware: takes the caller's X-Request-Id when it looks like one, else makes one, returns it as a
 * response header and runs the rest of the request inside its context.
 */
export function requestContextMiddleware(req: Request, res: Response, next: NextFunction): void {
  const offered = req.headers[CORRELATION_HEADER];
  const correlationId = typeof offered === 'string' && ACCEPTED_ID.test(offered) ? offered : randomUUID();
  res.setHeader('X-Request-Id', correlationId);
  const userAgent = req.headers['user-agent'];
  // Who it acts as is declared now, filled in by identifyRequest: every context keeps one shape (V8 map) from birth.
  const context: RequestContext = {
    correlationId,
    ip: req.ip,
    userAgent: typeof userAgent === 'string' ? userAgent.slice(0, 512) : undefined,
    actorId: undefined,
    authMethod: undefined,
    actorLabel: undefined,
  };
  storage.run(context, next);
}

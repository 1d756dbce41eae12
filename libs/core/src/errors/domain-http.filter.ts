import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError, ErrorCode } from './domain-error.js';

const HTTP_STATUS: Record<ErrorCode, number> = {
  [ErrorCode.BAD_INPUT]: 400,
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.CONFLICT]: 409,
  [ErrorCode.RATE_LIMITED]: 429,
  [ErrorCode.SECRET_UNREADABLE]: 500,
  [ErrorCode.UPSTREAM_UNAVAILABLE]: 502,
  [ErrorCode.CREDENTIAL_MISSING]: 409,
};

/** Admin HTTP routes (not GraphQL, not MCP): domain errors become a status and `{ error: { code, message } }`. */
@Catch(DomainError)
export class DomainHttpExceptionFilter implements ExceptionFilter {
  catch(error: DomainError, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    // A streamed response that already started cannot change its status: end it short.
    if (res.headersSent) {
      res.destroy(error);
      return;
    }
    const internal = error.code === ErrorCode.SECRET_UNREADABLE;
    res.status(HTTP_STATUS[error.code]).json({ error: { code: error.code, message: internal ? 'Internal server error' : error.message, ...error.details } });
  }
}

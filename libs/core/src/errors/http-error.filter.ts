import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
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
};

/**
 * JSON HTTP routes of the admin API (not MCP endpoints): a domain error becomes its status and
 * `{ error: { code, message } }`; anything else is a 500 without details (and logged).
 */
@Catch()
export class DomainErrorHttpFilter implements ExceptionFilter {
  private readonly log = new Logger(DomainErrorHttpFilter.name);

  catch(exception: unknown, host: ArgumentsHost) {
    const res = host.switchToHttp().getResponse<Response>();
    // A streamed answer has begun: all that can be done is to cut it short, so the client sees it incomplete.
    if (res.headersSent) {
      this.log.error(`response failed after it started: ${(exception as Error)?.message ?? exception}`);
      res.destroy();
      return;
    }
    if (exception instanceof DomainError) {
      const status = HTTP_STATUS[exception.code];
      if (status >= 500) this.log.error(exception.message);
      const message = status >= 500 ? 'Internal error' : exception.message;
      res.status(status).json({ error: { ...exception.details, code: exception.code, message } });
      return;
    }
    if (exception instanceof HttpException) {
      res.status(exception.getStatus()).json({ error: { code: 'HTTP_' + exception.getStatus(), message: exception.message } });
      return;
    }
    this.log.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    res.status(500).json({ error: { code: 'INTERNAL', message: 'Internal error' } });
  }
}

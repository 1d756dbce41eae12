import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError, ErrorCode } from '#core';
import type { McpRequest } from '../auth/mcp-request.js';
import { RpcCode, type JsonRpcId } from '../protocol/json-rpc.js';
import { McpHttpError } from './mcp-http-error.js';

/** How a domain error reads on an MCP endpoint: HTTP status and JSON-RPC code. */
const DOMAIN_ERRORS: Partial<Record<ErrorCode, { status: number; code: number }>> = {
  [ErrorCode.BAD_INPUT]: { status: 400, code: RpcCode.INVALID_PARAMS },
  [ErrorCode.FORBIDDEN]: { status: 403, code: RpcCode.FORBIDDEN },
  [ErrorCode.NOT_FOUND]: { status: 404, code: RpcCode.INVALID_REQUEST },
  [ErrorCode.RATE_LIMITED]: { status: 429, code: RpcCode.RATE_LIMITED },
};

/** The id of the request being answered, once the body has been read. */
function requestId(req: McpRequest | undefined): JsonRpcId | null {
  const body = req?.mcp?.body as { id?: unknown } | undefined;
  const id = body && typeof body === 'object' ? body.id : undefined;
  return typeof id === 'string' || typeof id === 'number' ? id : null;
}

/** MCP endpoints answer every failure with a JSON-RPC error body a client can show, never an HTML page. */
@Catch()
export class McpExceptionFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost) {
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) {
      res.end();
      return;
    }
    let status = 500;
    let code: number = RpcCode.INTERNAL_ERROR;
    let message = 'Internal error';
    let headers: Record<string, string> = {};
    let data: unknown;
    // JSON-RPC: an error answers the request's id whenever it could be parsed.
    let id = requestId(host.switchToHttp().getRequest<McpRequest>());
    if (exception instanceof McpHttpError) {
      ({ status, rpcCode: code, message, headers, data } = exception);
      id = exception.id ?? id;
    } else if (exception instanceof DomainError && DOMAIN_ERRORS[exception.code]) {
      ({ status, code } = DOMAIN_ERRORS[exception.code]!);
      message = exception.message;
    } else if (exception instanceof HttpException) {
      status = exception.getStatus();
      message = exception.message;
    }
    res.status(status).set(headers).json({ jsonrpc: '2.0', id, error: data === undefined ? { code, message } : { code, message, data } });
  }
}

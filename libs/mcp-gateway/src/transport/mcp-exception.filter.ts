import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { RpcCode } from '../protocol/json-rpc.js';
import { McpHttpError } from './mcp-http-error.js';

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
    let id = null;
    if (exception instanceof McpHttpError) {
      ({ status, rpcCode: code, message, headers } = exception);
      id = exception.id;
    } else if (exception instanceof HttpException) {
      status = exception.getStatus();
      message = exception.message;
    }
    res.status(status).set(headers).json({ jsonrpc: '2.0', id, error: { code, message } });
  }
}

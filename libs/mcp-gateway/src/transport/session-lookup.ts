import { DomainError, ErrorCode } from '#core';
import { RpcCode, type JsonRpcId } from '../protocol/json-rpc.js';
import type { McpRequest } from '../auth/mcp-request.js';
import type { McpSession, SessionTransport } from '../session/mcp-session.js';
import type { SessionRegistry } from '../session/session-registry.js';
import { McpHttpError, badRequest } from './mcp-http-error.js';

/** Opens a session for the caller; the per-key session cap becomes HTTP 429 with a JSON-RPC error. */
export function openSession(sessions: SessionRegistry, req: McpRequest, transport: SessionTransport, version: string, requestId: JsonRpcId | null = null): McpSession {
  try {
    return sessions.create(req.mcp.principal, req.mcp.group.slug, transport, version);
  } catch (error) {
    if (error instanceof DomainError && error.code === ErrorCode.RATE_LIMITED) throw new McpHttpError(429, RpcCode.RATE_LIMITED, error.message, {}, requestId);
    throw error;
  }
}

/** Finds the caller's session: missing id → 400, unknown or ended → 404 (re-initialize), other key or group → 403. */
export function lookupSession(sessions: SessionRegistry, req: McpRequest, id: unknown): McpSession {
  if (typeof id !== 'string' || !id) throw badRequest('Missing session id: send the Mcp-Session-Id returned by initialize');
  const session = sessions.get(id);
  if (!session) throw new McpHttpError(404, RpcCode.INVALID_REQUEST, 'Session not found or ended: initialize a new session');
  if (session.principal.keyId !== req.mcp.principal.keyId || session.groupSlug !== req.mcp.group.slug) {
    throw new McpHttpError(403, RpcCode.INVALID_REQUEST, 'This session belongs to another API key or group');
  }
  return session;
}

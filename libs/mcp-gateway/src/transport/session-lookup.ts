import { RpcCode } from '../protocol/json-rpc.js';
import type { McpRequest } from '../auth/mcp-request.js';
import type { McpSession } from '../session/mcp-session.js';
import type { SessionRegistry } from '../session/session-registry.js';
import { McpHttpError, badRequest } from './mcp-http-error.js';

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

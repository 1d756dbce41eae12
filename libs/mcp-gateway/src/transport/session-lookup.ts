import { RpcCode } from '../protocol/json-rpc.js';
import type { McpRequest } from '../auth/mcp-request.js';
import type { McpSession } from '../session/mcp-session.js';
import type { SessionRegistry } from '../session/session-registry.js';
import { McpHttpError, badRequest } from './mcp-http-error.js';

/**
 * Finds the caller's session, on this hub or (with Redis) adopted from the store: missing id → 400, unknown or
 * ended → 404 (re-initialize), other key or group → 403, the store unreachable → 503 (retry; the session is intact).
 */
export async function lookupSession(sessions: SessionRegistry, req: McpRequest, id: unknown): Promise<McpSession> {
  if (typeof id !== 'string' || !id) throw badRequest('Missing session id: send the Mcp-Session-Id returned by initialize');
  let session: McpSession | 'foreign' | undefined = sessions.get(id);
  if (!session) {
    try {
      session = await sessions.adopt(id, req.mcp.principal, req.mcp.group.slug);
    } catch {
      throw new McpHttpError(503, RpcCode.INTERNAL_ERROR, 'The session store (Redis) did not answer: retry shortly');
    }
  }
  if (!session) throw new McpHttpError(404, RpcCode.INVALID_REQUEST, 'Session not found or ended: initialize a new session');
  if (session === 'foreign' || session.principal.keyId !== req.mcp.principal.keyId || session.groupSlug !== req.mcp.group.slug) {
    throw new McpHttpError(403, RpcCode.INVALID_REQUEST, 'This session belongs to another API key or group');
  }
  sessions.keepAlive(session);
  return session;
}

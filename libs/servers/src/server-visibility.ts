import { Permission, authorize, readScope, type Actor } from '#auth';
import type { McpServer } from './mcp-server.entity.js';

/** Throws NOT_FOUND (cannot see it) or FORBIDDEN (may not do this) unless the actor may do `permission` on the server. */
export function authorizeServer(actor: Actor, permission: Permission, server: McpServer | null, id: string): McpServer {
  authorize(actor, permission, server, { kind: 'Server', id });
  return server!;
}

/** The read scope of the access policy as a filter for listing servers. */
export function visibleServersWhere(actor: Actor): { ownerId?: string } {
  const scope = readScope(actor);
  return scope.all ? {} : { ownerId: scope.ownerId };
}

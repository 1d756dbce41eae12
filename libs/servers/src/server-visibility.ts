import type { FindOptionsWhere } from 'typeorm';
import { Permission, authorize, readScope, type Actor } from '#auth';
import { ShareableType, sharedWithTeams } from '#users';
import type { McpServer } from './mcp-server.entity.js';

/**
 * Throws NOT_FOUND (cannot see it) or FORBIDDEN (may not do this) unless the actor may do `permission` on the server.
 * The server's shares must be attached (ServersService.get does), or team access is not seen.
 */
export function authorizeServer(actor: Actor, permission: Permission, server: McpServer | null, id: string): McpServer {
  authorize(actor, permission, server, { kind: 'Server', id });
  return server!;
}

/** The read scope of the access policy as a filter for listing servers: own ones and those shared with the actor's teams. */
export function visibleServersWhere(actor: Actor): FindOptionsWhere<McpServer>[] {
  const scope = readScope(actor);
  if (scope.all) return [{}];
  return [{ ownerId: scope.ownerId }, ...(scope.teamIds.length ? [{ id: sharedWithTeams(ShareableType.SERVER, scope.teamIds) }] : [])];
}

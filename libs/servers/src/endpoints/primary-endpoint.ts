import type { ServerEndpoint } from './server-endpoint.entity.js';
import type { McpServer } from '../mcp-server.entity.js';

/** The endpoint the server's own configuration describes (updateServer edits it; the Server type shows it). */
export function primaryEndpoint(server: Pick<McpServer, 'slug' | 'endpoints'>): ServerEndpoint {
  const primary = server.endpoints?.find((e) => e.primary);
  // The database keeps one per server; a row loaded without its endpoints is a programming error.
  if (!primary) throw new Error(`Server ${server.slug}: its primary endpoint was not loaded`);
  return primary;
}

/** The other endpoints (the API's "replicas"), oldest first. */
export function replicaEndpoints(server: Pick<McpServer, 'endpoints'>): ServerEndpoint[] {
  return (server.endpoints ?? []).filter((e) => !e.primary).sort(byAge);
}

/** Primary first, then oldest first: the order balancing and listings use. */
export function endpointOrder(a: ServerEndpoint, b: ServerEndpoint): number {
  return Number(b.primary) - Number(a.primary) || byAge(a, b);
}

function byAge(a: ServerEndpoint, b: ServerEndpoint): number {
  return a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

import type { Rows, Sections } from '../archive/archive-format.js';

const TRANSPORT_COLUMNS = ['transport', 'command', 'args', 'cwd', 'url', 'env', 'headers', 'weight', 'priority'] as const;

/**
 * An archive's rows in this hub's shape, for archives written before a migration that moved data between tables
 * (column or table renames alone are refused with the schema note instead). Pure: the archive is not changed.
 *
 * ServerEndpoints1795884000000: a server's transport columns became its primary endpoint (the server's id, so its
 * sealed values still open), and `server_replicas` became `server_endpoints`.
 */
export function upgradeSections(sections: Sections): Sections {
  const servers = sections.mcp_servers ?? [];
  const beforeEndpoints = 'server_replicas' in sections || servers.some((row) => 'transport' in row);
  if (!beforeEndpoints) return sections;
  const { server_replicas: replicas = [], ...rest } = sections;
  const primaries: Rows = servers.map((server) => ({
    id: server.id,
    server_id: server.id,
    primary: true,
    name: 'primary',
    ...Object.fromEntries(TRANSPORT_COLUMNS.map((column) => [column, server[column]])),
    enabled: true,
    created_at: server.created_at,
    updated_at: server.updated_at,
  }));
  return {
    ...rest,
    mcp_servers: servers.map((server) => Object.fromEntries(Object.entries(server).filter(([column]) => !(TRANSPORT_COLUMNS as readonly string[]).includes(column)))),
    server_endpoints: [...primaries, ...replicas.map((replica) => ({ ...replica, primary: false }))],
  };
}

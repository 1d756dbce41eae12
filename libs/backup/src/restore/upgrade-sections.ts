import { defaultConnectionPlacement, type ServerTransport } from '#servers';
import type { Rows, Sections } from '../archive/archive-format.js';

const TRANSPORT_COLUMNS = ['transport', 'command', 'args', 'cwd', 'url', 'env', 'headers', 'weight', 'priority'] as const;

/**
 * An archive's rows in this hub's shape, for archives written before a migration that moved data between tables
 * or added a column whose database default is not what the hub would choose (column or table renames alone are
 * refused with the schema note instead). Pure: the archive is not changed.
 */
export function upgradeSections(sections: Sections): Sections {
  return withPlacement(withEndpoints(sections));
}

/**
 * ServerEndpoints1795884000000: a server's transport columns became its primary endpoint (the server's id, so its
 * sealed values still open), and `server_replicas` became `server_endpoints`.
 */
function withEndpoints(sections: Sections): Sections {
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

/**
 * ConnectionPlacement1795973000000: a server without `connection_placement` gets the creation default of its
 * primary's transport (ONE_HUB for STDIO), not the column's EVERY_HUB. One without a primary is left as it is (a
 * restore skips or refuses it).
 */
function withPlacement(sections: Sections): Sections {
  const servers = sections.mcp_servers ?? [];
  if (servers.every((row) => 'connection_placement' in row)) return sections;
  const transports = new Map((sections.server_endpoints ?? []).filter((e) => e.primary === true).map((e) => [String(e.server_id), e.transport as ServerTransport]));
  return {
    ...sections,
    mcp_servers: servers.map((server) => {
      const transport = transports.get(String(server.id));
      return 'connection_placement' in server || !transport ? server : { ...server, connection_placement: defaultConnectionPlacement(transport) };
    }),
  };
}

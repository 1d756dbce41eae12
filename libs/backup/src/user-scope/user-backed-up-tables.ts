/**
 * What a USER archive holds: one person's own configuration, parents before children (the order a restore goes
 * through them). `ownRows` selects the person's rows (`$1` is their id): their servers with those servers' endpoints
 * (the primary, which holds the server's own transport, and the replicas), their groups with those groups' members
 * and rules, their own credentials. Not their API keys (a key's secret is shown once and stored only as a hash: a
 * restored hash would revive a key its owner may have revoked since), nor anything of another person, even when
 * shared with them or placed in their group.
 */
export interface UserBackedUpTable {
  table: string;
  ownRows: string;
}

export const USER_BACKED_UP_TABLES: readonly UserBackedUpTable[] = [
  { table: 'credentials', ownRows: `t."scope" = 'USER' AND t."user_id" = $1` },
  { table: 'mcp_servers', ownRows: `t."owner_id" = $1` },
  { table: 'server_endpoints', ownRows: `t."server_id" IN (SELECT s."id" FROM "mcp_servers" s WHERE s."owner_id" = $1)` },
  { table: 'groups', ownRows: `t."owner_id" = $1` },
  { table: 'group_servers', ownRows: `t."group_id" IN (SELECT g."id" FROM "groups" g WHERE g."owner_id" = $1)` },
  { table: 'routing_rules', ownRows: `t."group_id" IN (SELECT g."id" FROM "groups" g WHERE g."owner_id" = $1)` },
];

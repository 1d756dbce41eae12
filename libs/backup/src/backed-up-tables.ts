/**
 * What a backup holds: the hub's configuration, parents before children (the order rows are restored in, so every
 * foreign key finds its row). Adding a table is one line here; its sealed columns come from SealedColumnRegistry.
 *
 * `rename`: the unique text column a RENAME restore suffixes when another row already holds the value.
 */
export interface BackedUpTable {
  table: string;
  rename?: string;
}

export const BACKED_UP_TABLES: readonly BackedUpTable[] = [
  { table: 'users' },
  { table: 'user_identities' },
  { table: 'teams', rename: 'slug' },
  { table: 'team_members' },
  { table: 'credentials' },
  { table: 'mcp_servers', rename: 'slug' },
  { table: 'server_endpoints' },
  { table: 'server_tool_pins' },
  { table: 'groups', rename: 'slug' },
  { table: 'group_servers' },
  { table: 'group_revisions' },
  { table: 'routing_rules' },
  { table: 'resource_shares' },
  { table: 'api_keys' },
  { table: 'catalog_entries' },
  { table: 'notification_channels' },
  // Upstream OAuth: the servers' settings, the clients the hub registered, each person's grant (so agents keep working).
  { table: 'server_oauth_settings' },
  { table: 'upstream_oauth_clients' },
  { table: 'upstream_authorizations' },
];

/**
 * Tables deliberately left out: history and counters (rebuilt by use), sign-in state (people sign in again), and
 * the index of archives itself. A table holding sealed values must be in one list or the other (checked at backup).
 */
export const NOT_BACKED_UP: readonly string[] = [
  'audit_log',
  'call_log',
  'call_captures',
  'usage_hourly',
  'usage_batches',
  'server_health_checks',
  'notification_deliveries',
  'sign_in_sessions',
  'sign_in_flows',
  'sign_in_codes',
  'upstream_authorization_requests',
  'backups',
  // The npm pre-fetch of catalog installs: the state of one machine's npx cache (npx downloads again if it must).
  'server_installations',
  // Data keys are the hub's own: a restore re-seals every secret under the restoring hub's current key.
  'encryption_keys',
  'key_rotations',
  'migrations',
];

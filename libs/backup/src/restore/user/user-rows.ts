import type { CreateGroup } from '#groups';
import type { ConnectionPlacement, ServerConfigInput } from '#servers';
import type { Row } from '../../snapshot/table-rows.repository.js';

/**
 * A USER archive's rows (as the hub stored them, secrets opened) turned back into the inputs a person gives the API:
 * a restore creates things the way createServer / addServerReplica / createGroup / createRoutingRule / setCredential
 * would, through the same checks.
 */
type Entries = { name: string; value: string }[];

const str = (v: unknown) => (v === null || v === undefined ? null : String(v));

/** Columns of a server's primary endpoint that the API shows as the server's own (createServer, updateServerBalancing). */
const PRIMARY_COLUMNS = ['transport', 'command', 'args', 'cwd', 'url', 'env', 'headers', 'weight', 'priority'];

/** A server's row with its primary endpoint's transport and placement: what createServer takes, what "the same" compares. */
export const withPrimary = (server: Row, primary: Row): Row => ({ ...server, ...Object.fromEntries(PRIMARY_COLUMNS.map((c) => [c, primary[c]])) });

/** An endpoint's (or a server's, withPrimary) transport columns as the API takes them. */
const transportInput = (r: Row) => ({
  transport: r.transport as ServerConfigInput['transport'],
  command: str(r.command),
  args: (r.args as string[] | null) ?? [],
  env: (r.env as Entries | null) ?? [],
  cwd: str(r.cwd),
  url: str(r.url),
  headers: (r.headers as Entries | null) ?? [],
});

/** `r`: a server's row with its primary's columns (withPrimary). */
export const serverInput = (r: Row, slug: string): ServerConfigInput => ({
  name: String(r.name),
  slug,
  ...transportInput(r),
  description: str(r.description),
  tags: (r.tags as string[] | null) ?? [],
  enabled: r.enabled as boolean,
  credentialScope: r.credential_scope as ServerConfigInput['credentialScope'],
});

export const serverBalancing = (r: Row) => ({
  loadBalancing: r.load_balancing as never,
  retryCalls: r.retry_calls as boolean,
  weight: r.weight as number,
  priority: r.priority as number,
  healthCheckIntervalSeconds: r.health_check_interval_seconds as number,
  connectionPlacement: r.connection_placement as ConnectionPlacement,
});

export const replicaInput = (r: Row) => ({
  name: String(r.name),
  ...transportInput(r),
  weight: r.weight as number,
  priority: r.priority as number,
  enabled: r.enabled as boolean,
});

export const groupInput = (r: Row, slug: string): CreateGroup => ({
  name: String(r.name),
  slug,
  description: str(r.description),
  toolNaming: r.tool_naming as CreateGroup['toolNaming'],
  toolPinning: r.tool_pinning as CreateGroup['toolPinning'],
});

export const groupFilter = (r: Row) => ({ toolFilterMode: r.tool_filter_mode as never, toolFilter: (r.tool_filter as string[] | null) ?? [] });

export const ruleInput = (r: Row) => ({
  groupId: String(r.group_id),
  name: String(r.name),
  priority: r.priority as number,
  enabled: r.enabled as boolean,
  conditions: r.conditions as never,
  action: r.action as never,
});

/** Columns that say nothing about a thing's configuration: whether the hub's row is "the same" ignores them. */
const NOT_CONFIGURATION = new Set(['owner_id', 'user_id', 'created_at', 'updated_at', 'capabilities', 'capabilities_at', 'last_error']);

export function configurationOf(row: Row): Row {
  return Object.fromEntries(Object.entries(row).filter(([k]) => !NOT_CONFIGURATION.has(k)));
}

import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TeamRole, readScope, type Actor } from '#auth';
import type { CallOutcome } from './call-log-entry.js';
import { SqlConditions, type CallLogFilter } from './call-log.query.js';
import type { CountedBucket } from './call-series.js';

/** One call-log entry as read back, with the display names of what it refers to (null when since removed). */
export interface CallLogRow {
  id: string;
  at: Date;
  keyId: string;
  keyName: string | null;
  userId: string;
  groupId: string | null;
  groupSlug: string | null;
  serverId: string | null;
  serverSlug: string | null;
  replicaId: string | null;
  method: string;
  name: string | null;
  outcome: CallOutcome;
  latencyMs: number;
  error: string | null;
  correlationId: string | null;
  arguments: string | null;
  result: string | null;
}

export interface PageCursor {
  at: Date;
  id: string;
}

export enum UsageDimension {
  KEY = 'KEY',
  USER = 'USER',
  GROUP = 'GROUP',
  SERVER = 'SERVER',
  TOOL = 'TOOL',
}

export interface AnalyticsRow {
  id: string | null;
  label: string | null;
  calls: number;
  errors: number;
  p50LatencyMs: number | null;
  p95LatencyMs: number | null;
}

/** The dimension's value and its label (joined after aggregating, so only once per row). */
const DIMENSIONS: Record<UsageDimension, { value: string; label: string; join: string }> = {
  [UsageDimension.KEY]: { value: 'c.key_id::text', label: 'k.name', join: 'LEFT JOIN api_keys k ON k.id = a.id::uuid' },
  [UsageDimension.USER]: { value: 'c.user_id::text', label: 'u.email', join: 'LEFT JOIN users u ON u.id = a.id::uuid' },
  [UsageDimension.GROUP]: { value: 'c.group_id::text', label: 'g.slug', join: 'LEFT JOIN groups g ON g.id = a.id::uuid' },
  [UsageDimension.SERVER]: { value: 'c.server_id::text', label: 's.slug', join: 'LEFT JOIN mcp_servers s ON s.id = a.id::uuid' },
  [UsageDimension.TOOL]: { value: 'c.name', label: 'a.id', join: '' },
};

/** Most rows an analytics query returns (the busiest first). */
export const ANALYTICS_MAX_ROWS = 1_000;

const COLUMNS = `c.id::text AS id, c.at, c.key_id AS "keyId", k.name AS "keyName", c.user_id AS "userId", c.group_id AS "groupId", g.slug AS "groupSlug",
  c.server_id AS "serverId", s.slug AS "serverSlug", c.replica_id AS "replicaId", c.method, c.name, c.outcome, c.latency_ms AS "latencyMs",
  c.error, c.correlation_id AS "correlationId", c.arguments, c.result`;

/** Every query of the call log. Visibility is decided in one place: `visibleTo`. */
@Injectable()
export class CallLogRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Newest first, after `cursor`; returns up to `limit` rows. */
  async page(actor: Actor, filter: CallLogFilter, limit: number, cursor?: PageCursor): Promise<CallLogRow[]> {
    const where = this.visibleTo(actor, filter);
    if (cursor) where.add('(c.at, c.id) < (?, ?::bigint)', cursor.at, cursor.id);
    const rows = (await this.dataSource.query(
      `SELECT ${COLUMNS} FROM call_log c
         LEFT JOIN api_keys k ON k.id = c.key_id LEFT JOIN groups g ON g.id = c.group_id LEFT JOIN mcp_servers s ON s.id = c.server_id
       ${where.sql} ORDER BY c.at DESC, c.id DESC LIMIT ${where.param(limit)}`,
      where.params,
    )) as CallLogRow[];
    return rows;
  }

  /**
   * Calls, errors (any outcome but OK) and latency percentiles per dimension value, computed in SQL. Percentiles
   * cover the calls that reached a server (refusals answered by the hub itself would pull them towards zero).
   */
  async analytics(actor: Actor, filter: CallLogFilter, dimension: UsageDimension): Promise<AnalyticsRow[]> {
    const where = this.visibleTo(actor, filter);
    if (dimension === UsageDimension.TOOL) where.add(`c.method = 'tools/call'`);
    const { value, label, join } = DIMENSIONS[dimension];
    return (await this.dataSource.query(
      `SELECT a.id, ${label} AS label, a.calls, a.errors, a."p50LatencyMs", a."p95LatencyMs" FROM (
         SELECT ${value} AS id, count(*)::int AS calls, (count(*) FILTER (WHERE c.outcome <> 'OK'))::int AS errors,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY c.latency_ms) FILTER (WHERE c.server_id IS NOT NULL) AS "p50LatencyMs",
                percentile_cont(0.95) WITHIN GROUP (ORDER BY c.latency_ms) FILTER (WHERE c.server_id IS NOT NULL) AS "p95LatencyMs"
           FROM call_log c ${where.sql} GROUP BY 1 ORDER BY calls DESC, 1 LIMIT ${where.param(ANALYTICS_MAX_ROWS)}
       ) a ${join} ORDER BY a.calls DESC, a.id`,
      where.params,
    )) as AnalyticsRow[];
  }

  /**
   * Calls and errors per bucket of `bucketSeconds` from `filter.from` (required, as is `filter.to`): only the buckets
   * that had calls. The time range is served by the (at) or (user_id, at) index, depending on visibility.
   */
  async series(actor: Actor, filter: CallLogFilter & { from: Date; to: Date }, bucketSeconds: number): Promise<CountedBucket[]> {
    const where = this.visibleTo(actor, filter);
    const from = where.param(filter.from);
    const size = where.param(bucketSeconds);
    return (await this.dataSource.query(
      `SELECT floor(extract(epoch FROM c.at - ${from}::timestamptz) / ${size}::int)::int AS bucket,
              count(*)::int AS calls, (count(*) FILTER (WHERE c.outcome <> 'OK'))::int AS errors
         FROM call_log c ${where.sql} GROUP BY 1 ORDER BY 1`,
      where.params,
    )) as CountedBucket[];
  }

  /** Deletes up to `batchSize` of the oldest entries from before `cutoff`; returns how many. */
  async deleteOlderThan(cutoff: Date, batchSize: number): Promise<number> {
    const [{ n }] = (await this.dataSource.query(
      `WITH d AS (DELETE FROM call_log WHERE id IN (SELECT id FROM call_log WHERE at < $1 ORDER BY at LIMIT $2) RETURNING 1) SELECT count(*)::int AS n FROM d`,
      [cutoff, batchSize],
    )) as { n: number }[];
    return n;
  }

  async deleteExpiredCaptures(now: Date): Promise<number> {
    const [{ n }] = (await this.dataSource.query(
      `WITH d AS (DELETE FROM call_captures WHERE expires_at <= $1 RETURNING 1) SELECT count(*)::int AS n FROM d`,
      [now],
    )) as { n: number }[];
    return n;
  }

  /**
   * THE visibility rule of the call log, from the access policy's read scope: admins and auditors see every entry,
   * anyone else the calls made with their own keys (entries carry the key owner's id).
   * Teams: when `team_members` lands, team OWNERs also see their members' calls; add to the non-`all` branch
   * `OR c.user_id IN (SELECT m.user_id FROM team_members m WHERE m.team_id = ANY(?::uuid[]))` with the ids of the
   * actor's teams where their TeamRole is OWNER (from `actor.teams`). Nothing else in the call log decides visibility.
   */
  private visibleTo(actor: Actor, filter: CallLogFilter): SqlConditions {
    const where = new SqlConditions();
    const scope = readScope(actor);
    // Members see their own calls; team OWNERs also their team members' (admins and auditors: all).
    const ownedTeams = scope.all ? [] : [...actor.teams].filter(([, role]) => role === TeamRole.OWNER).map(([teamId]) => teamId);
    if (!scope.all && !ownedTeams.length) where.add('c.user_id = ?::uuid', scope.ownerId);
    if (!scope.all && ownedTeams.length) {
      where.add('(c.user_id = ?::uuid OR c.user_id IN (SELECT m.user_id FROM team_members m WHERE m.team_id = ANY(?::uuid[])))', scope.ownerId, ownedTeams);
    }
    if (filter.from) where.add('c.at >= ?', filter.from);
    if (filter.to) where.add('c.at < ?', filter.to);
    if (filter.keyId) where.add('c.key_id = ?::uuid', filter.keyId);
    if (filter.userId) where.add('c.user_id = ?::uuid', filter.userId);
    if (filter.groupId) where.add('c.group_id = ?::uuid', filter.groupId);
    if (filter.serverId) where.add('c.server_id = ?::uuid', filter.serverId);
    if (filter.tool) where.add('c.name = ?', filter.tool);
    if (filter.outcome) where.add('c.outcome = ?', filter.outcome);
    if (filter.failed !== undefined) where.add(filter.failed ? `c.outcome <> 'OK'` : `c.outcome = 'OK'`);
    if (filter.method) where.add('c.method = ?', filter.method);
    return where;
  }
}

import type { UsageRow } from './usage-row.js';

const MAX_ROWS_PER_INSERT = 500;

/** Anything that runs SQL: the DataSource, or a transaction's EntityManager. */
export interface SqlRunner {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/**
 * Adds rows into usage_hourly (upsert: counts add up). Rows of keys deleted meanwhile are skipped.
 * Throws on failure: the caller decides whether to retry (it must never just drop the rows).
 */
export async function writeUsageRows(sql: SqlRunner, rows: readonly UsageRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += MAX_ROWS_PER_INSERT) {
    const chunk = rows.slice(i, i + MAX_ROWS_PER_INSERT);
    const params: unknown[] = [];
    const values = chunk.map((r) => {
      params.push(r.keyId, r.serverId, r.tool, r.hour, r.serverSlug, r.calls, r.errors, r.totalLatencyMs, r.maxLatencyMs);
      const n = params.length - 9;
      return `($${n + 1}::uuid,$${n + 2}::uuid,$${n + 3}::text,$${n + 4}::timestamptz,$${n + 5}::text,$${n + 6}::int,$${n + 7}::int,$${n + 8}::float8,$${n + 9}::float8)`;
    });
    await sql.query(
      `INSERT INTO usage_hourly (key_id, server_id, tool, hour, server_slug, calls, errors, total_latency_ms, max_latency_ms)
       SELECT v.* FROM (VALUES ${values.join(',')}) AS v(key_id, server_id, tool, hour, server_slug, calls, errors, total_latency_ms, max_latency_ms)
       WHERE EXISTS (SELECT 1 FROM api_keys k WHERE k.id = v.key_id)
       ON CONFLICT (key_id, server_id, tool, hour) DO UPDATE SET
         calls = usage_hourly.calls + EXCLUDED.calls,
         errors = usage_hourly.errors + EXCLUDED.errors,
         total_latency_ms = usage_hourly.total_latency_ms + EXCLUDED.total_latency_ms,
         max_latency_ms = GREATEST(usage_hourly.max_latency_ms, EXCLUDED.max_latency_ms),
         server_slug = EXCLUDED.server_slug`,
      params,
    );
  }
}

import type { SqlRunner } from '../usage/usage-rows.writer.js';
import type { CallLogEntry } from './call-log-entry.js';

/**
 * Embedded PGlite runs each statement on the hub's own thread: short statements keep it from stalling agents' calls
 * for long (a 200-row insert takes PGlite ~10 ms; the event loop runs between statements).
 */
const MAX_ROWS_PER_INSERT = 200;

/** PostgreSQL text cannot hold NUL: one such character from an agent would fail every retry of the batch. */
const text = (value: string | null): string | null => (value && value.includes('\u0000') ? value.replaceAll('\u0000', '') : value);

/**
 * Inserts entries into call_log: one statement per chunk, columns as arrays (a short statement to parse whatever
 * the chunk size). Throws on failure: the caller keeps the entries for a retry.
 */
export async function writeCallLog(sql: SqlRunner, entries: readonly CallLogEntry[]): Promise<void> {
  for (let i = 0; i < entries.length; i += MAX_ROWS_PER_INSERT) {
    const chunk = entries.slice(i, i + MAX_ROWS_PER_INSERT);
    const column = <T>(pick: (e: CallLogEntry) => T): T[] => chunk.map(pick);
    await sql.query(
      `INSERT INTO call_log (at, key_id, user_id, group_id, server_id, replica_id, method, name, outcome, latency_ms, error, correlation_id, arguments, result)
       SELECT * FROM unnest($1::timestamptz[], $2::uuid[], $3::uuid[], $4::uuid[], $5::uuid[], $6::uuid[], $7::text[], $8::text[], $9::text[],
                            $10::float8[], $11::text[], $12::text[], $13::text[], $14::text[])`,
      [
        column((e) => new Date(e.at)),
        column((e) => e.keyId),
        column((e) => e.userId),
        column((e) => e.groupId),
        column((e) => e.serverId),
        column((e) => e.replicaId),
        column((e) => text(e.method)),
        column((e) => text(e.name)),
        column((e) => text(e.outcome)),
        column((e) => e.latencyMs),
        column((e) => text(e.error)),
        column((e) => text(e.correlationId)),
        column((e) => text(e.arguments)),
        column((e) => text(e.result)),
      ],
    );
  }
}

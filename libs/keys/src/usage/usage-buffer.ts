import { mergeRow, rowKey, type UsageRow } from './usage-row.js';

/**
 * Usage waiting to be written, aggregated per key/server/tool/hour, so memory grows with distinct combinations,
 * not with calls. `maxRows` bounds the rows held here plus those out in a flush: a failed flush always fits back.
 * Past the bound, calls of NEW combinations are dropped and counted (calls of held combinations still add up).
 */
export class UsageBuffer {
  private rows = new Map<string, UsageRow>();
  private inFlight = 0;
  /** Calls dropped because the buffer was full, since the process started. */
  droppedCalls = 0;

  constructor(readonly maxRows: number) {}

  get size(): number {
    return this.rows.size;
  }

  /** False when the row was dropped (buffer full). */
  add(row: UsageRow): boolean {
    const id = rowKey(row.keyId, row.serverId, row.hour.getTime(), row.tool);
    const held = this.rows.get(id);
    if (held) {
      mergeRow(held, row);
      return true;
    }
    if (this.rows.size + this.inFlight >= this.maxRows) {
      this.droppedCalls += row.calls;
      return false;
    }
    this.rows.set(id, { ...row });
    return true;
  }

  /** Hands every row to a flush; they still count against maxRows until `settle`. */
  take(): UsageRow[] {
    const rows = [...this.rows.values()];
    this.rows = new Map();
    this.inFlight = rows.length;
    return rows;
  }

  /** Ends a flush: `failed` rows (all, or none) merge back. */
  settle(failed: readonly UsageRow[]): void {
    this.inFlight = 0;
    for (const row of failed) {
      const id = rowKey(row.keyId, row.serverId, row.hour.getTime(), row.tool);
      const held = this.rows.get(id);
      if (held) mergeRow(held, row);
      else this.rows.set(id, row);
    }
  }
}

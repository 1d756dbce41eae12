import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { CallLogBuffer } from '../call-log/call-log.buffer.js';
import type { CallLogEntry } from '../call-log/call-log-entry.js';
import { writeCallLog } from '../call-log/call-log.writer.js';
import { UsageBuffer } from './usage-buffer.js';
import { rowOf, type CallRecord } from './usage-row.js';
import { writeUsageRows } from './usage-rows.writer.js';

/** Distinct key/server/tool/hour rows held in memory (~300 bytes each: ~30 MB). */
export const EMBEDDED_MAX_ROWS = 100_000;
/** Call-log entries held in memory: ~400 bytes each without a capture (~80,000 entries). */
export const EMBEDDED_MAX_LOG_BYTES = 32 * 1024 * 1024;

/**
 * Embedded mode (no Redis): usage aggregates in memory, call-log entries queue in memory, and both are written
 * every flush interval and on shutdown, in one transaction. A failed write puts everything back and the next flush
 * retries it; nothing is dropped unless a buffer is full.
 */
export class EmbeddedUsageSink {
  private readonly buffer: UsageBuffer;
  private readonly log: CallLogBuffer;
  private timer?: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();
  private lastDropLog = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly logger: Logger,
    private readonly flushIntervalMs: number,
    maxRows = EMBEDDED_MAX_ROWS,
    maxLogBytes = EMBEDDED_MAX_LOG_BYTES,
  ) {
    this.buffer = new UsageBuffer(maxRows);
    this.log = new CallLogBuffer(maxLogBytes);
  }

  get droppedCalls(): number {
    return this.buffer.droppedCalls;
  }

  get droppedEntries(): number {
    return this.log.droppedEntries;
  }

  get bufferedEntries(): number {
    return this.log.size;
  }

  get bufferedRows(): number {
    return this.buffer.size;
  }

  start(): void {
    this.timer = setInterval(() => void this.flush().catch(() => undefined), this.flushIntervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush().catch(() => undefined);
    if (this.buffer.size || this.log.size) {
      this.logger.error({ rows: this.buffer.size, entries: this.log.size }, 'usage and call log not written at shutdown (database unavailable): these calls are lost');
    }
  }

  /** `call`: usage (forwarded tools/call only); `entry`: its call-log entry. */
  record(call: CallRecord | null, entry: CallLogEntry | null = null, now = Date.now()): void {
    if (call && !this.buffer.add(rowOf(call, now))) this.reportDrops();
    if (entry && !this.log.add(entry)) this.reportDrops();
  }

  /** Writes what is buffered (flushes run one after another). Rejects when the write failed; the rows stay buffered. */
  flush(): Promise<void> {
    const next = this.flushing.then(() => this.write());
    this.flushing = next.catch(() => undefined);
    return next;
  }

  private async write(): Promise<void> {
    const rows = this.buffer.take();
    const entries = this.log.take();
    if (!rows.length && !entries.length) {
      this.buffer.settle([]);
      return this.log.settle([]);
    }
    try {
      // One transaction: a failure leaves nothing half-written, so putting everything back never double counts.
      await this.dataSource.transaction(async (manager) => {
        await writeUsageRows(manager, rows);
        await writeCallLog(manager, entries);
      });
      this.buffer.settle([]);
      this.log.settle([]);
    } catch (error) {
      this.buffer.settle(rows);
      this.log.settle(entries);
      this.logger.warn({ err: (error as Error).message, rows: rows.length, entries: entries.length }, 'usage flush failed; rows kept for the next flush');
      throw error;
    }
  }

  /** Loud, but at most one line every 10 s while calls are being dropped. */
  private reportDrops(): void {
    if (Date.now() - this.lastDropLog < 10_000) return;
    this.lastDropLog = Date.now();
    this.logger.error(
      { droppedCalls: this.buffer.droppedCalls, maxRows: this.buffer.maxRows, droppedEntries: this.log.droppedEntries, maxLogBytes: this.log.maxBytes },
      'usage or call-log buffer full (database unreachable too long): calls are not being recorded',
    );
  }
}

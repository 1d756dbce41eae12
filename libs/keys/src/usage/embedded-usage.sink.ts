import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { UsageBuffer } from './usage-buffer.js';
import { rowOf, type CallRecord } from './usage-row.js';
import { writeUsageRows } from './usage-rows.writer.js';

/** Distinct key/server/tool/hour rows held in memory (~300 bytes each: ~30 MB). */
export const EMBEDDED_MAX_ROWS = 100_000;

/**
 * Embedded mode (no Redis): usage aggregates in memory and is written every flush interval and on shutdown.
 * A failed write puts the rows back and the next flush retries them; nothing is dropped unless the buffer is full.
 */
export class EmbeddedUsageSink {
  private readonly buffer: UsageBuffer;
  private timer?: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();
  private lastDropLog = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly logger: Logger,
    private readonly flushIntervalMs: number,
    maxRows = EMBEDDED_MAX_ROWS,
  ) {
    this.buffer = new UsageBuffer(maxRows);
  }

  get droppedCalls(): number {
    return this.buffer.droppedCalls;
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
    if (this.buffer.size) this.logger.error({ rows: this.buffer.size }, 'usage not written at shutdown (database unavailable): these calls are lost');
  }

  record(call: CallRecord, now = Date.now()): void {
    if (!this.buffer.add(rowOf(call, now))) this.reportDrops();
  }

  /** Writes what is buffered (flushes run one after another). Rejects when the write failed; the rows stay buffered. */
  flush(): Promise<void> {
    const next = this.flushing.then(() => this.write());
    this.flushing = next.catch(() => undefined);
    return next;
  }

  private async write(): Promise<void> {
    const rows = this.buffer.take();
    if (!rows.length) return this.buffer.settle([]);
    try {
      // One transaction: a failure leaves nothing half-written, so putting every row back never double counts.
      await this.dataSource.transaction((manager) => writeUsageRows(manager, rows));
      this.buffer.settle([]);
    } catch (error) {
      this.buffer.settle(rows);
      this.logger.warn({ err: (error as Error).message, rows: rows.length }, 'usage flush failed; rows kept for the next flush');
      throw error;
    }
  }

  /** Loud, but at most one line every 10 s while calls are being dropped. */
  private reportDrops(): void {
    if (Date.now() - this.lastDropLog < 10_000) return;
    this.lastDropLog = Date.now();
    this.logger.error({ droppedCalls: this.buffer.droppedCalls, maxRows: this.buffer.maxRows }, 'usage buffer full (database unreachable too long): calls are not being counted');
  }
}

import { entryBytes, type CallLogEntry } from './call-log-entry.js';

/**
 * Call-log entries waiting to be written (embedded mode), bounded in bytes. Like UsageBuffer, the bound covers the
 * entries out in a flush too, so a failed flush always fits back; past it new entries are dropped and counted.
 */
export class CallLogBuffer {
  private entries: CallLogEntry[] = [];
  private bytes = 0;
  private inFlightBytes = 0;
  /** Entries dropped because the buffer was full, since the process started. */
  droppedEntries = 0;

  constructor(readonly maxBytes: number) {}

  get size(): number {
    return this.entries.length;
  }

  /** False when the entry was dropped (buffer full). */
  add(entry: CallLogEntry): boolean {
    const bytes = entryBytes(entry);
    if (this.bytes + this.inFlightBytes + bytes > this.maxBytes) {
      this.droppedEntries += 1;
      return false;
    }
    this.entries.push(entry);
    this.bytes += bytes;
    return true;
  }

  take(): CallLogEntry[] {
    const taken = this.entries;
    this.entries = [];
    this.inFlightBytes = this.bytes;
    this.bytes = 0;
    return taken;
  }

  /** Ends a flush: `failed` entries (all, or none) go back in front of newer ones. */
  settle(failed: readonly CallLogEntry[]): void {
    if (failed.length) {
      this.entries = [...failed, ...this.entries];
      this.bytes += this.inFlightBytes;
    }
    this.inFlightBytes = 0;
  }
}

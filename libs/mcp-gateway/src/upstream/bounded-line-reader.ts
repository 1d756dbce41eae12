import { PEEK_BYTES, peekMessageId, type MessageId } from '#servers';

const NEWLINE = 10;
/** How far past the limit an oversized line is skipped while waiting for its newline before the stream is given up. */
export const RESYNC_FACTOR = 4;

export interface OversizedLine {
  /** The request the line answered, when its first or last bytes name it. */
  id: MessageId | undefined;
  /** True: the line was skipped and reading goes on. False: no newline came in time; the stream is unusable. */
  resynchronised: boolean;
}

/**
 * Newline-delimited reader with a bound on one line (stdio MCP framing). Unlike the SDK's ReadBuffer it never
 * throws and never holds more than `limit` bytes: an oversized line is skipped up to its newline and reported.
 */
export class BoundedLineReader {
  private chunks: Buffer[] = [];
  private size = 0;
  /** Skipping an oversized line: its first bytes, its last bytes, and how much was skipped. */
  private skipping?: { head: Buffer; tail: Buffer; skipped: number };
  private dead = false;

  constructor(
    readonly limit: number,
    private readonly onLine: (line: string) => void,
    private readonly onOversized: (line: OversizedLine) => void,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    while (!this.dead && start < chunk.length) {
      const end = chunk.indexOf(NEWLINE, start);
      const piece = chunk.subarray(start, end === -1 ? chunk.length : end);
      if (this.skipping) this.skip(piece, end !== -1);
      else if (this.size + piece.length > this.limit) this.beginSkip(piece, end !== -1);
      else if (end === -1) this.keep(piece);
      else this.emit(piece);
      if (end === -1) return;
      start = end + 1;
    }
  }

  private keep(piece: Buffer): void {
    // Copy: the chunk belongs to the stream.
    this.chunks.push(Buffer.from(piece));
    this.size += piece.length;
  }

  private emit(last: Buffer): void {
    const line = this.chunks.length ? Buffer.concat([...this.chunks, last]).toString('utf8') : last.toString('utf8');
    this.chunks = [];
    this.size = 0;
    if (line.trim()) this.onLine(line);
  }

  private beginSkip(piece: Buffer, complete: boolean): void {
    const all = this.chunks.length ? Buffer.concat([...this.chunks, piece]) : piece;
    this.chunks = [];
    this.size = 0;
    this.skipping = { head: Buffer.from(all.subarray(0, PEEK_BYTES)), tail: Buffer.alloc(0), skipped: 0 };
    this.skip(all, complete);
  }

  private skip(piece: Buffer, complete: boolean): void {
    const state = this.skipping!;
    state.skipped += piece.length;
    state.tail = Buffer.concat([state.tail, piece.subarray(Math.max(0, piece.length - PEEK_BYTES))]).subarray(-PEEK_BYTES);
    if (complete) {
      this.skipping = undefined;
      this.onOversized({ id: peekMessageId(state.head.toString('utf8'), state.tail.toString('utf8')), resynchronised: true });
    } else if (state.skipped > this.limit * RESYNC_FACTOR) {
      this.skipping = undefined;
      this.dead = true;
      this.onOversized({ id: peekMessageId(state.head.toString('utf8')), resynchronised: false });
    }
  }
}

import { PEEK_BYTES, peekMessageId, type MessageId } from './message-too-large.error.js';

const LF = 10;
const CR = 13;

/**
 * Counts the bytes of the SSE event being received (since the last blank line) so a single event can be bounded
 * before a parser buffers it: SSE parsers (eventsource-parser, EventSource) buffer an event without limit.
 */
export class SseEventSizeGuard {
  private pending = 0;
  private last = -1;
  private beforeLast = -1;
  private head = '';

  constructor(readonly limit: number) {}

  /** Feeds raw bytes; true when the current event has gone over the limit. */
  push(chunk: Uint8Array): boolean {
    let boundaryEnd = -1;
    for (let i = chunk.indexOf(LF); i !== -1; i = chunk.indexOf(LF, i + 1)) {
      const prev = i > 0 ? chunk[i - 1] : this.last;
      const prev2 = i > 1 ? chunk[i - 2] : i === 1 ? this.last : this.beforeLast;
      if (prev === LF || (prev === CR && prev2 === LF)) boundaryEnd = i + 1;
    }
    if (chunk.length >= 2) [this.beforeLast, this.last] = [chunk[chunk.length - 2], chunk[chunk.length - 1]];
    else if (chunk.length === 1) [this.beforeLast, this.last] = [this.last, chunk[0]];
    if (boundaryEnd >= 0) {
      this.pending = chunk.length - boundaryEnd;
      this.head = '';
      this.keepHead(chunk.subarray(boundaryEnd));
    } else {
      this.pending += chunk.length;
      this.keepHead(chunk);
    }
    return this.pending > this.limit;
  }

  /** The id of the oversized event's message, when its first bytes show it. */
  peekId(): MessageId | undefined {
    const data = /(?:^|\n)data: ?(.*)/.exec(this.head);
    return data ? peekMessageId(data[1]) : undefined;
  }

  private keepHead(bytes: Uint8Array): void {
    if (this.head.length < PEEK_BYTES && bytes.length) this.head += Buffer.from(bytes.subarray(0, PEEK_BYTES)).toString('utf8');
  }
}

import { describe, expect, it } from '@jest/globals';
import { SseEventSizeGuard } from './sse-event-size-guard.js';

const bytes = (s: string) => Buffer.from(s);

describe(SseEventSizeGuard.name, () => {
  it('should count each event on its own, across chunks and CRLF endings', () => {
    const guard = new SseEventSizeGuard(100);
    const event = `event: message\r\ndata: ${'a'.repeat(60)}\r\n\r\n`;
    for (let i = 0; i < 50; i++) expect(guard.push(bytes(event))).toBe(false);
    // A boundary split between chunks still resets the count.
    expect(guard.push(bytes(`data: ${'b'.repeat(60)}\n`))).toBe(false);
    expect(guard.push(bytes(`\ndata: ${'c'.repeat(60)}\n\n`))).toBe(false);
  });

  it('should report an event over the limit and the id it starts with', () => {
    const guard = new SseEventSizeGuard(100);
    expect(guard.push(bytes('event: message\ndata: {"jsonrpc":"2.0","id":12,"result":{"x":"'))).toBe(false);
    expect(guard.push(bytes('y'.repeat(80)))).toBe(true);
    expect(guard.peekId()).toBe(12);
  });
});

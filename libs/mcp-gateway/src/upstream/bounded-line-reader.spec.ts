import { describe, expect, it } from '@jest/globals';
import { BoundedLineReader, RESYNC_FACTOR, type OversizedLine } from './bounded-line-reader.js';

function reader(limit: number) {
  const lines: string[] = [];
  const oversized: OversizedLine[] = [];
  return { lines, oversized, reader: new BoundedLineReader(limit, (l) => lines.push(l), (o) => oversized.push(o)) };
}

describe(BoundedLineReader.name, () => {
  it('should split lines across chunks', () => {
    const r = reader(1024);
    r.reader.push(Buffer.from('{"a":1}\n{"b"'));
    r.reader.push(Buffer.from(':2}\n\n{"c":3}'));
    expect(r.lines).toEqual(['{"a":1}', '{"b":2}']);
    r.reader.push(Buffer.from('\n'));
    expect(r.lines).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
  });

  it('should skip an oversized line, name its id from its last bytes and go on reading', () => {
    const r = reader(1024);
    const big = `{"result":{"text":"${'x'.repeat(3000)}","nested":{"id":99}},"jsonrpc":"2.0","id":7}`;
    for (let i = 0; i < big.length; i += 700) r.reader.push(Buffer.from(big.slice(i, i + 700)));
    r.reader.push(Buffer.from('\n{"jsonrpc":"2.0","id":8,"result":{}}\n'));
    expect(r.oversized).toEqual([{ id: 7, resynchronised: true }]);
    expect(r.lines).toEqual(['{"jsonrpc":"2.0","id":8,"result":{}}']);
  });

  it('should name the id from the first bytes when the message starts with it', () => {
    const r = reader(1024);
    r.reader.push(Buffer.from(`{"jsonrpc":"2.0","id":"abc","result":{"t":"${'y'.repeat(3000)}"}}\n`));
    expect(r.oversized).toEqual([{ id: 'abc', resynchronised: true }]);
  });

  it('should give the stream up when no newline comes within the resync window', () => {
    const r = reader(1024);
    const chunk = Buffer.alloc(1000, 'z');
    for (let i = 0; i < RESYNC_FACTOR + 3; i++) r.reader.push(chunk);
    expect(r.oversized).toEqual([{ id: undefined, resynchronised: false }]);
    r.reader.push(Buffer.from('\n{"ok":1}\n'));
    expect(r.lines).toEqual([]);
  });
});

import { describe, expect, it } from '@jest/globals';
import { bucketCount, fillSeries } from './call-series.js';

const at = (iso: string) => new Date(iso);

describe(fillSeries.name, () => {
  it('should return every bucket of the range oldest first, with zeros where nothing was counted', () => {
    const series = fillSeries(at('2026-01-01T10:00:00Z'), at('2026-01-01T10:05:00Z'), 60, [
      { bucket: 1, calls: 3, errors: 1 },
      { bucket: 4, calls: 2, errors: 0 },
    ]);
    expect(series.map((b) => [b.start.toISOString(), b.calls, b.errors])).toEqual([
      ['2026-01-01T10:00:00.000Z', 0, 0],
      ['2026-01-01T10:01:00.000Z', 3, 1],
      ['2026-01-01T10:02:00.000Z', 0, 0],
      ['2026-01-01T10:03:00.000Z', 0, 0],
      ['2026-01-01T10:04:00.000Z', 2, 0],
    ]);
  });

  it('should give a last bucket cut short by `to` when the range is not a whole number of buckets', () => {
    expect(bucketCount(at('2026-01-01T10:00:00Z'), at('2026-01-01T10:02:30Z'), 60)).toBe(3);
    expect(fillSeries(at('2026-01-01T10:00:00Z'), at('2026-01-01T10:02:30Z'), 60, [{ bucket: 2, calls: 5, errors: 5 }]).at(-1)).toEqual({
      start: at('2026-01-01T10:02:00Z'),
      calls: 5,
      errors: 5,
    });
  });

  it('should drop counts outside the range rather than invent buckets for them', () => {
    expect(fillSeries(at('2026-01-01T10:00:00Z'), at('2026-01-01T10:01:00Z'), 60, [{ bucket: 7, calls: 1, errors: 0 }])).toEqual([
      { start: at('2026-01-01T10:00:00Z'), calls: 0, errors: 0 },
    ]);
  });
});

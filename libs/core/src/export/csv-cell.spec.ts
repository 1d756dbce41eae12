import { describe, expect, it } from '@jest/globals';
import { csvCell } from './csv-cell.js';

describe(csvCell.name, () => {
  it('should keep text that a spreadsheet would run as a formula as text', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r']) expect(csvCell(`${start}cmd|' /C calc'!A0`)).toMatch(/^"'/);
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
  });

  it('should quote every cell and double quotes, and leave numbers and dates alone', () => {
    expect(csvCell('a,b\nc')).toBe('"a,b\nc"');
    expect(csvCell(12.5)).toBe('"12.5"');
    expect(csvCell(new Date('2026-01-02T03:04:05Z'))).toBe('"2026-01-02T03:04:05.000Z"');
    expect(csvCell(null)).toBe('');
  });
});

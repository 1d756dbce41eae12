import { describe, expect, it } from '@jest/globals';
import { DomainError } from '#core';
import { decodeCursor, encodeCursor } from './audit-cursor.js';

describe('audit log cursor', () => {
  it('should round-trip a position exactly', () => {
    const position = { at: new Date('2026-11-03T10:20:30.456Z'), id: '0b6b9c52-3c3e-4f55-9d9b-6f1a3a1f2c11' };
    expect(decodeCursor(encodeCursor(position))).toEqual(position);
  });

  it('should refuse anything that is not a cursor of the list, naming the argument', () => {
    for (const bad of ['', 'garbage', Buffer.from('123:not-a-uuid').toString('base64url'), Buffer.from('x:0b6b9c52-3c3e-4f55-9d9b-6f1a3a1f2c11').toString('base64url'), 'a'.repeat(500)]) {
      expect(() => decodeCursor(bad)).toThrow(DomainError);
      expect(() => decodeCursor(bad)).toThrow(/^after: /);
    }
  });
});

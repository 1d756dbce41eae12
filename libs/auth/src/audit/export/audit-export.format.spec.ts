import { describe, expect, it } from '@jest/globals';
import { AuditOutcome, type AuditEntry } from '../audit-entry.entity.js';
import { csvLine, ndjsonLine } from './audit-export.format.js';

describe('audit export format', () => {
  it('should write one line per entry in both formats', () => {
    const entry = {
      id: 'e1',
      at: new Date('2026-01-01T00:00:00.000Z'),
      actorId: null,
      actorLabel: 'a@b.c',
      authMethod: 'PASSWORD',
      action: 'login',
      targetType: null,
      targetId: null,
      changes: [],
      outcome: AuditOutcome.DENIED,
      errorCode: 'UNAUTHENTICATED',
      errorMessage: 'Invalid email or password',
      ip: '127.0.0.1',
      userAgent: 'curl/8',
      correlationId: 'c1',
    } satisfies AuditEntry;
    expect(csvLine(entry)).toBe(
      '"e1","2026-01-01T00:00:00.000Z",,"a@b.c","PASSWORD","login",,,"DENIED","UNAUTHENTICATED","Invalid email or password","127.0.0.1","curl/8","c1","[]"\r\n',
    );
    expect(JSON.parse(ndjsonLine(entry))).toMatchObject({ id: 'e1', actor_label: 'a@b.c', outcome: 'DENIED', changes: [] });
  });
});

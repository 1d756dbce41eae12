import { describe, expect, it } from '@jest/globals';
import { REDACTED, redactText, redactedJson, truncateUtf8 } from './secret-redaction.js';

describe('redactedJson', () => {
  it('should redact values of secret-named fields at any depth and in any case, keeping the rest', () => {
    const json = redactedJson(
      { query: 'weather', Password: 'p4ss', nested: { API_KEY: 'k', list: [{ accessToken: 't' }, { clientSecret: 's' }] }, headers: { Authorization: 'x' } },
      8192,
    );
    expect(JSON.parse(json)).toEqual({
      query: 'weather',
      Password: REDACTED,
      nested: { API_KEY: REDACTED, list: [{ accessToken: REDACTED }, { clientSecret: REDACTED }] },
      headers: { Authorization: REDACTED },
    });
  });

  it('should redact credential-looking values wherever they appear in text', () => {
    const values = [
      'Bearer abc.def-123456',
      'mcph_abcd1234_efgh5678ijkl',
      'sk-abcdefghijklmnopqrstuv',
      'ghp_abcdefghijklmnopqrstuvwxyz012345',
      'xoxb-123456789012-abcdefghij',
      'AKIAABCDEFGHIJKLMNOP',
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NSJ9.c2lnbmF0dXJlLXZhbHVl',
      'postgres://app:hunter2@db.internal/app',
    ];
    const json = redactedJson({ notes: values.map((v) => `use ${v} here`) }, 8192);
    for (const secret of ['abc.def-123456', 'abcd1234_efgh5678ijkl', 'abcdefghijklmnopqrstuv', 'ghp_abc', 'xoxb-', 'AKIAABCD', 'eyJzdWIi', 'hunter2']) {
      expect(json).not.toContain(secret);
    }
    expect(json).toContain('postgres://app:[REDACTED]@db.internal/app');
    expect(redactText('nothing secret here')).toBe('nothing secret here');
  });

  it('should stay within the byte budget and say that it cut', () => {
    const json = redactedJson({ text: 'é'.repeat(50_000) }, 1024);
    expect(json.endsWith('…[truncated]')).toBe(true);
    expect(Buffer.byteLength(json.slice(0, -'…[truncated]'.length))).toBeLessThanOrEqual(1024);
    expect(json).not.toContain('\uFFFD');
    expect(redactedJson({ a: 1 }, 1024)).toBe('{"a":1}');
  });

  it('should not walk more of a huge body than fits', () => {
    const huge = { items: Array.from({ length: 200_000 }, (_, i) => ({ i, text: 'x'.repeat(100) })) };
    const started = performance.now();
    const json = redactedJson(huge, 8192);
    expect(performance.now() - started).toBeLessThan(200);
    expect(json.length).toBeLessThan(8192 + 20);
  });

  it('should serialise what JSON cannot (functions, bigints, cycles deep enough) without throwing', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    expect(() => redactedJson(cyclic, 2048)).not.toThrow();
    expect(redactedJson({ f: () => 1, n: 10n }, 100)).toBe('{"f":null,"n":null}');
  });
});

describe('truncateUtf8', () => {
  it('should never split a multi-byte character', () => {
    expect(truncateUtf8('aé', 2)).toEqual({ text: 'a', cut: true });
    expect(truncateUtf8('abc', 3)).toEqual({ text: 'abc', cut: false });
  });
});

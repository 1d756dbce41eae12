import { describe, expect, it } from '@jest/globals';
import { fillHours, fromLocalInput, keyStatus, quotaText, quotaValue, toLocalInput, usageWindow } from './key-format';

describe('key-format', () => {
  it('should call a key revoked before expired, and active otherwise', () => {
    const now = Date.parse('2026-05-01T00:00:00Z');
    expect(keyStatus({ revokedAt: '2026-01-01T00:00:00Z', expiresAt: '2026-02-01T00:00:00Z' }, now)).toBe('revoked');
    expect(keyStatus({ revokedAt: null, expiresAt: '2026-04-30T23:59:59Z' }, now)).toBe('expired');
    expect(keyStatus({ revokedAt: null, expiresAt: '2026-05-02T00:00:00Z' }, now)).toBe('active');
    expect(keyStatus({ revokedAt: null, expiresAt: null }, now)).toBe('active');
  });

  it('should describe quotas, and map an empty field to unlimited', () => {
    expect(quotaText({ perMinute: null, perDay: null })).toBe('Unlimited');
    expect(quotaText({ perMinute: 60, perDay: null })).toBe('60 / min');
    expect(quotaValue('')).toBeNull();
    expect(quotaValue(5)).toBe(5);
  });

  it('should round-trip an expiry through the datetime-local field to the minute', () => {
    const iso = '2027-03-04T05:06:00.000Z';
    expect(fromLocalInput(toLocalInput(iso))).toBe(iso);
    expect(toLocalInput(null)).toBe('');
    expect(fromLocalInput('')).toBeNull();
  });

  it('should end the usage window after the current hour and fill quiet hours with zeros', () => {
    const window = usageWindow('24h', Date.parse('2026-05-01T10:30:00Z'));
    expect(window).toEqual({ from: '2026-04-30T11:00:00.000Z', to: '2026-05-01T11:00:00.000Z' });
    const points = fillHours(window, [{ hour: '2026-05-01T10:00:00.000Z', calls: 3, errors: 1, avgLatencyMs: 5, maxLatencyMs: 9 }]);
    expect(points).toHaveLength(24);
    expect(points[0]).toEqual({ hour: '2026-04-30T11:00:00.000Z', calls: 0, errors: 0, avgLatencyMs: 0, maxLatencyMs: 0 });
    expect(points[23].calls).toBe(3);
  });
});

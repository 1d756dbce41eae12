import { describe, expect, it } from '@jest/globals';
import { scrapeAccess } from './metrics-access.js';

const TOKEN = 'metrics-token-0123456789';
const open = { enabled: true, maxToolLabels: 200 };
const tokened = { ...open, token: TOKEN };

describe(scrapeAccess.name, () => {
  it('should answer 404 to everyone when metrics are disabled', () => {
    expect(scrapeAccess({ ...tokened, enabled: false }, { authorization: `Bearer ${TOKEN}`, remoteAddress: '127.0.0.1', forwarded: false })).toMatchObject({ status: 404 });
    expect(scrapeAccess({ ...open, enabled: false }, { remoteAddress: '127.0.0.1', forwarded: false })).toMatchObject({ status: 404 });
  });

  it('should require the bearer token when one is configured, from loopback too', () => {
    const from = { remoteAddress: '127.0.0.1', forwarded: false };
    expect(scrapeAccess(tokened, { ...from, authorization: `Bearer ${TOKEN}` })).toEqual({ ok: true });
    expect(scrapeAccess(tokened, { ...from, authorization: `bearer ${TOKEN}` })).toEqual({ ok: true });
    for (const authorization of [undefined, '', 'Bearer', `Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, `Basic ${TOKEN}`, TOKEN]) {
      expect(scrapeAccess(tokened, { ...from, authorization })).toMatchObject({ ok: false, status: 401 });
    }
  });

  it('should accept a token from any address (the token is the protection)', () => {
    expect(scrapeAccess(tokened, { authorization: `Bearer ${TOKEN}`, remoteAddress: '203.0.113.9', forwarded: true })).toEqual({ ok: true });
  });

  it.each(['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1'])('should answer a loopback peer (%s) when no token is configured', (remoteAddress) => {
    expect(scrapeAccess(open, { remoteAddress, forwarded: false })).toEqual({ ok: true });
  });

  it.each(['10.0.0.5', '192.168.1.2', '203.0.113.9', '::ffff:10.0.0.5', 'fe80::1', undefined, 'not-an-ip'])('should refuse a non-loopback peer (%s) when no token is configured', (remoteAddress) => {
    expect(scrapeAccess(open, { remoteAddress, forwarded: false })).toMatchObject({ ok: false, status: 403 });
  });

  it('should refuse a loopback peer that forwards someone else (a reverse proxy on this host)', () => {
    expect(scrapeAccess(open, { remoteAddress: '127.0.0.1', forwarded: true })).toMatchObject({ ok: false, status: 403 });
  });
});

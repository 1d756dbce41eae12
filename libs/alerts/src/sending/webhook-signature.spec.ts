import { describe, expect, it } from '@jest/globals';
import { createHmac } from 'node:crypto';
import { generateSigningSecret, signatureHeader, verifySignature } from './webhook-signature.js';

describe('webhook signature', () => {
  const secret = generateSigningSecret();
  const body = JSON.stringify({ id: 'e1', type: 'TEST' });
  const now = Date.UTC(2026, 10, 1, 12);
  const t = Math.floor(now / 1000);

  it('should sign "<t>.<body>" with HMAC-SHA256 as a receiver computes it', () => {
    const header = signatureHeader(secret, body, t);
    const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
    expect(header).toBe(`t=${t},v1=${expected}`);
    expect(verifySignature(secret, header, body, now)).toBe(true);
  });

  it('should refuse another secret, a changed body and a changed timestamp', () => {
    const header = signatureHeader(secret, body, t);
    expect(verifySignature(generateSigningSecret(), header, body, now)).toBe(false);
    expect(verifySignature(secret, header, body.replace('TEST', 'TEST '), now)).toBe(false);
    expect(verifySignature(secret, header.replace(`t=${t}`, `t=${t + 1}`), body, now)).toBe(false);
  });

  it('should refuse a replay outside the tolerance and a malformed header', () => {
    const header = signatureHeader(secret, body, t);
    expect(verifySignature(secret, header, body, now + 301_000)).toBe(false);
    expect(verifySignature(secret, undefined, body, now)).toBe(false);
    expect(verifySignature(secret, 'v1=abc', body, now)).toBe(false);
  });

  it('should generate a different 256-bit secret each time', () => {
    const a = generateSigningSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(generateSigningSecret()).not.toBe(a);
  });
});

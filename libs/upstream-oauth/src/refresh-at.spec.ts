import { describe, expect, it } from '@jest/globals';
import { clientAuthMethod } from './protocol/token-endpoint.js';
import { pkcePair } from './protocol/pkce.js';
import { createHash } from 'node:crypto';
import { refreshAt } from './upstream-tokens.service.js';

const at = (iso: string) => new Date(iso);

describe(refreshAt.name, () => {
  it('should refresh a minute before expiry when the token lives long', () => {
    expect(refreshAt({ issuedAt: at('2026-01-01T00:00:00Z'), expiresAt: at('2026-01-01T01:00:00Z') })).toBe(at('2026-01-01T00:59:00Z').getTime());
  });

  it('should refresh at half its lifetime when the token lives under two minutes', () => {
    expect(refreshAt({ issuedAt: at('2026-01-01T00:00:00Z'), expiresAt: at('2026-01-01T00:00:04Z') })).toBe(at('2026-01-01T00:00:02Z').getTime());
  });

  it('should never refresh when the authorization server gave no expiry', () => {
    expect(refreshAt({ issuedAt: at('2026-01-01T00:00:00Z'), expiresAt: null })).toBeNull();
  });
});

describe(clientAuthMethod.name, () => {
  it('should use no client authentication for a public client', () => {
    expect(clientAuthMethod(null, ['client_secret_basic'])).toBe('none');
  });

  it('should use Basic by default (RFC 6749) and the body only when that is all the server takes', () => {
    expect(clientAuthMethod('s', null)).toBe('client_secret_basic');
    expect(clientAuthMethod('s', ['client_secret_post'])).toBe('client_secret_post');
    expect(clientAuthMethod('s', ['client_secret_basic', 'client_secret_post'])).toBe('client_secret_basic');
  });
});

describe(pkcePair.name, () => {
  it('should derive the S256 challenge from a 43-character verifier', () => {
    const { verifier, challenge } = pkcePair();
    expect(verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(challenge).toBe(createHash('sha256').update(verifier).digest('base64url'));
    expect(pkcePair().verifier).not.toBe(verifier);
  });
});

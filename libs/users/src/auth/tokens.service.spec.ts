import { describe, expect, it } from '@jest/globals';
import jwt from 'jsonwebtoken';
import { randomBytes } from 'node:crypto';
import { DomainError, ErrorCode, parseConfig } from '#core';
import { AuthMethod, Role } from '../user.entity.js';
import { TokensService, hashRefreshToken } from './tokens.service.js';

const config = parseConfig({ JWT_SECRET: 'x'.repeat(32), HUB_ENCRYPTION_KEY: randomBytes(32).toString('hex'), DATABASE_URL: 'postgres://db/hub' });
const tokens = new TokensService(config);
const user = { id: '7d1f3c1e-34f5-4a6e-9f53-0a3b8f1f2a10', role: Role.MEMBER };
const session = { id: 'a4bd7c7e-55a5-4f0b-8a0e-7f6a3f0d9c21', method: AuthMethod.GITHUB };

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error instanceof DomainError ? error.code : error;
  }
  return 'accepted';
};

describe(TokensService.name, () => {
  it('should put the session id and sign-in method in the access token', () => {
    const { accessToken, expiresIn } = tokens.issueAccess(user, session);
    expect(expiresIn).toBe(config.jwt.accessTtlSeconds);
    expect(tokens.verifyAccess(accessToken)).toMatchObject({ sub: user.id, sid: session.id, method: AuthMethod.GITHUB, role: Role.MEMBER });
  });

  it('should accept a token signed with JWT_SECRET as a string (a replica of the previous release) and refuse another secret', () => {
    const claims = { role: Role.MEMBER, typ: 'access', sid: session.id, method: session.method };
    const signed = (secret: string) => jwt.sign(claims, secret, { subject: user.id, expiresIn: 60, issuer: 'mcp-hub', algorithm: 'HS256' });
    expect(tokens.verifyAccess(signed(config.jwt.secret))).toMatchObject({ sub: user.id, sid: session.id });
    expect(refusal(() => tokens.verifyAccess(signed('y'.repeat(32))))).toBe(ErrorCode.UNAUTHENTICATED);
  });

  it('should issue distinct refresh tokens for one session even within the same second', () => {
    const expiresAt = tokens.refreshExpiry();
    const a = tokens.issueRefresh(user.id, session.id, expiresAt);
    const b = tokens.issueRefresh(user.id, session.id, expiresAt);
    expect(a).not.toBe(b);
    const jti = (token: string) => (jwt.decode(token) as { jti?: string }).jti;
    expect(jti(a)).toEqual(expect.any(String));
    expect(jti(a)).not.toBe(jti(b));
    expect(hashRefreshToken(a)).not.toEqual(hashRefreshToken(b));
    expect(tokens.verifyRefresh(a)).toMatchObject({ sub: user.id, sid: session.id });
  });

  it('should refuse a refresh token as an access token and the reverse', () => {
    const refresh = tokens.issueRefresh(user.id, session.id, tokens.refreshExpiry());
    const { accessToken } = tokens.issueAccess(user, session);
    expect(refusal(() => tokens.verifyAccess(refresh))).toBe(ErrorCode.UNAUTHENTICATED);
    expect(refusal(() => tokens.verifyRefresh(accessToken))).toBe(ErrorCode.UNAUTHENTICATED);
  });

  it('should refuse a token without a session id, as issued before sessions existed', () => {
    const legacy = jwt.sign({ role: Role.ADMIN, typ: 'access' }, config.jwt.secret, { subject: user.id, expiresIn: 60, issuer: 'mcp-hub', algorithm: 'HS256' });
    expect(refusal(() => tokens.verifyAccess(legacy))).toBe(ErrorCode.UNAUTHENTICATED);
  });

  it('should refuse a token signed with another secret', () => {
    const other = new TokensService(parseConfig({ JWT_SECRET: 'y'.repeat(32), HUB_ENCRYPTION_KEY: randomBytes(32).toString('hex'), DATABASE_URL: 'postgres://db/hub' }));
    expect(refusal(() => tokens.verifyAccess(other.issueAccess(user, session).accessToken))).toBe(ErrorCode.UNAUTHENTICATED);
  });

  it('should let the refresh token expire with its session', () => {
    const expiresAt = new Date(Date.now() + 3_600_000);
    const claims = jwt.decode(tokens.issueRefresh(user.id, session.id, expiresAt)) as { exp: number };
    expect(Math.abs(claims.exp * 1000 - expiresAt.getTime())).toBeLessThan(2_000);
  });
});

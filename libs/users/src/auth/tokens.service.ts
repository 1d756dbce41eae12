import { Inject, Injectable } from '@nestjs/common';
import { createHash, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { HUB_CONFIG, unauthenticated, type HubConfig } from '#core';
import type { AuthMethod, Role } from '../user.entity.js';

/** An access token names its sign-in session, so revoking the session refuses the token at once. */
export interface AccessClaims {
  sub: string;
  role: Role;
  typ: 'access';
  sid: string;
  method: AuthMethod;
}

/** A refresh token is bound to one session; only the newest one of a session is accepted (rotation). */
export interface RefreshClaims {
  sub: string;
  typ: 'refresh';
  sid: string;
}

const ISSUER = 'mcp-hub';

@Injectable()
export class TokensService {
  /**
   * JWT_SECRET as a key object, made once: given a string, jsonwebtoken first tries (and fails) to parse it as a PEM
   * public key on every sign and verify, ~2.5 ms of CPU against ~0.1 ms, on every authenticated request.
   */
  private readonly key: KeyObject;

  constructor(@Inject(HUB_CONFIG) private readonly config: HubConfig) {
    this.key = createSecretKey(Buffer.from(config.jwt.secret));
  }

  issueAccess(user: { id: string; role: Role }, session: { id: string; method: AuthMethod }): { accessToken: string; expiresIn: number } {
    const { accessTtlSeconds } = this.config.jwt;
    const accessToken = jwt.sign({ role: user.role, typ: 'access', sid: session.id, method: session.method }, this.key, {
      subject: user.id,
      expiresIn: accessTtlSeconds,
      issuer: ISSUER,
      algorithm: 'HS256',
    });
    return { accessToken, expiresIn: accessTtlSeconds };
  }

  /** The jti makes every refresh token distinct, even two issued for one session within the same second. */
  issueRefresh(userId: string, sessionId: string, expiresAt: Date): string {
    const exp = Math.floor(expiresAt.getTime() / 1000);
    return jwt.sign({ typ: 'refresh', sid: sessionId, jti: randomBytes(16).toString('base64url'), exp }, this.key, {
      subject: userId,
      issuer: ISSUER,
      algorithm: 'HS256',
    });
  }

  /** The refresh token's expiry from now: every sign-in and every refresh moves it forward. */
  refreshExpiry(): Date {
    return new Date(Date.now() + this.config.jwt.refreshTtlSeconds * 1000);
  }

  verifyAccess(token: string): AccessClaims {
    return this.verify<AccessClaims>(token, 'access');
  }

  verifyRefresh(token: string): RefreshClaims {
    return this.verify<RefreshClaims>(token, 'refresh');
  }

  private verify<T extends { typ: string; sid: string; sub: string }>(token: string, typ: T['typ']): T {
    try {
      const claims = jwt.verify(token, this.key, { issuer: ISSUER, algorithms: ['HS256'] }) as T;
      // Tokens issued before sign-in sessions existed have no sid: they cannot be revoked, so they are not accepted.
      if (claims.typ !== typ || typeof claims.sid !== 'string' || typeof claims.sub !== 'string') throw new Error('wrong token shape');
      return claims;
    } catch {
      throw unauthenticated(`Invalid or expired ${typ} token: sign in again`);
    }
  }
}

/** Refresh tokens are long random-bearing strings: a plain SHA-256 is enough to make the stored form useless. */
export function hashRefreshToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

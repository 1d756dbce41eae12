import { Inject, Injectable } from '@nestjs/common';
import jwt from 'jsonwebtoken';
import { HUB_CONFIG, unauthenticated, type HubConfig } from '#core';
import type { AuthMethod, Role } from '../user.entity.js';

export interface AccessClaims {
  sub: string;
  role: Role;
  typ: 'access' | 'refresh';
  /** How the person signed in (absent in tokens issued before sessions recorded it). */
  auth?: AuthMethod;
}

const ISSUER = 'mcp-hub';

@Injectable()
export class TokensService {
  constructor(@Inject(HUB_CONFIG) private readonly config: HubConfig) {}

  issue(userId: string, role: Role): { accessToken: string; refreshToken: string; expiresIn: number } {
    const { secret, accessTtlSeconds, refreshTtlSeconds } = this.config.jwt;
    const sign = (typ: AccessClaims['typ'], ttl: number) =>
      jwt.sign({ role, typ }, secret, { subject: userId, expiresIn: ttl, issuer: ISSUER, algorithm: 'HS256' });
    return { accessToken: sign('access', accessTtlSeconds), refreshToken: sign('refresh', refreshTtlSeconds), expiresIn: accessTtlSeconds };
  }

  verify(token: string, typ: AccessClaims['typ']): AccessClaims {
    try {
      const claims = jwt.verify(token, this.config.jwt.secret, { issuer: ISSUER, algorithms: ['HS256'] }) as AccessClaims;
      if (claims.typ !== typ) throw new Error('wrong token type');
      return claims;
    } catch {
      throw unauthenticated(`Invalid or expired ${typ} token: sign in again`);
    }
  }
}

import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { forbidden, unauthenticated } from '#core';
import type { Role } from '../user.entity.js';
import { SignInSessionsRepository } from '../sessions/sign-in-sessions.repository.js';
import { IS_PUBLIC, REQUIRED_ROLES, requestOf } from './auth.decorators.js';
import { TokensService } from './tokens.service.js';

/** Authenticates the admin API's bearer access token and enforces @Roles. */
@Injectable()
export class UserAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokensService,
    private readonly sessions: SignInSessionsRepository,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const req = requestOf(context);
    const header = req.headers.authorization;
    const token = typeof header === 'string' && /^Bearer\s+/i.test(header) ? header.replace(/^Bearer\s+/i, '') : undefined;
    if (!token) throw unauthenticated();
    const claims = this.tokens.verifyAccess(token);
    // One query per admin request (not the agent hot path), no cache: a revoked session or a disabled account
    // loses access at once, on every hub replica.
    const user = await this.sessions.findSignedInUser(claims.sid, claims.sub);
    if (!user) throw unauthenticated('Session ended or account no longer active: sign in again');
    req.user = user;
    req.session = { id: claims.sid, method: claims.method };
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    if (roles && !roles.includes(user.role)) throw forbidden(`Requires role ${roles.join(' or ')}`);
    return true;
  }
}

import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { forbidden, unauthenticated } from '#core';
import type { Role } from '../user.entity.js';
import { UsersService } from '../users.service.js';
import { IS_PUBLIC, REQUIRED_ROLES, requestOf } from './auth.decorators.js';
import { TokensService } from './tokens.service.js';

/** Authenticates the admin API's bearer access token and enforces @Roles. */
@Injectable()
export class UserAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokensService,
    private readonly users: UsersService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const req = requestOf(context);
    const header = req.headers.authorization;
    const token = typeof header === 'string' && /^Bearer\s+/i.test(header) ? header.replace(/^Bearer\s+/i, '') : undefined;
    if (!token) throw unauthenticated();
    const claims = this.tokens.verify(token, 'access');
    // One lookup per admin request (not the agent hot path): a disabled account loses access at once.
    const user = await this.users.findById(claims.sub);
    if (!user || user.disabled) throw unauthenticated('Account no longer active');
    req.user = user;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    if (roles && !roles.includes(user.role)) throw forbidden(`Requires role ${roles.join(' or ')}`);
    return true;
  }
}

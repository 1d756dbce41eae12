import { Injectable, Logger, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ACCESS, actorOf, authorizeAttempt, requestOf, type AccessRequirement } from '#auth';
import { forbidden, identifyRequest, unauthenticated } from '#core';
import { SignInSessionsRepository } from '../sessions/sign-in-sessions.repository.js';
import { TokensService } from './tokens.service.js';

/**
 * The global guard of every GraphQL operation and HTTP route: deny by default. It reads the operation's declared
 * requirement, authenticates the person's bearer access token, puts the Actor on the request and checks the
 * permission at the hub-wide level (the per-thing check is the service's, through the same policy).
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly log = new Logger(AccessGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokensService,
    private readonly sessions: SignInSessionsRepository,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const requirement = this.reflector.getAllAndOverride<AccessRequirement | undefined>(ACCESS, [context.getHandler(), context.getClass()]);
    if (!requirement) {
      this.log.error(`${context.getClass().name}.${context.getHandler().name} declares no access requirement: refused`);
      throw forbidden('This operation declares no permission and is refused');
    }
    // Public routes, the MCP endpoints (ApiKeyGuard on the route) and self-authenticated routes need no person.
    if (requirement.kind !== 'permission') return true;
    const req = requestOf(context);
    const header = req.headers.authorization;
    const token = typeof header === 'string' && /^Bearer\s+/i.test(header) ? header.replace(/^Bearer\s+/i, '') : undefined;
    if (!token) throw unauthenticated();
    const claims = this.tokens.verifyAccess(token);
    // One query per admin request (not the agent hot path), no cache: a revoked session, a disabled account or a
    // changed role applies at once, on every hub replica.
    const user = await this.sessions.findSignedInUser(claims.sid, claims.sub);
    if (!user) throw unauthenticated('Session ended or account no longer active: sign in again');
    req.actor = actorOf(user, claims.method, undefined, claims.sid);
    identifyRequest({ actorId: user.id, authMethod: req.actor.authMethod, actorLabel: user.email });
    authorizeAttempt(req.actor, requirement.permission);
    return true;
  }
}

import { Injectable, Logger, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ACCESS, authorizeAttempt, requestOf, type AccessRequirement } from '#auth';
import { forbidden, identifyRequest, unauthenticated } from '#core';
import { ActorLoader } from './actor-loader.js';
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
    private readonly actors: ActorLoader,
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
    // One lookup per admin request (not the agent hot path), no cache: a revoked session, a disabled account, a
    // changed role or team applies at once, on every hub replica.
    const signedIn = await this.actors.loadSignedIn(claims.sid, claims.sub, claims.method);
    if (!signedIn) throw unauthenticated('Session ended or account no longer active: sign in again');
    req.actor = signedIn.actor;
    identifyRequest({ actorId: signedIn.actor.id, authMethod: signedIn.actor.authMethod, actorLabel: signedIn.email });
    authorizeAttempt(req.actor, requirement.permission);
    return true;
  }
}

import { Injectable, Logger, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ACCESS, authorizeAttempt, requestOf, type AccessRequirement, AuthMethod } from '#auth';
import { currentRequest, forbidden, unauthenticated } from '#core';
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
    // Public routes and the MCP endpoints (authenticated by ApiKeyGuard on the route) need no person.
    if (requirement.kind !== 'permission') return true;
    const req = requestOf(context);
    const header = req.headers.authorization;
    const token = typeof header === 'string' && /^Bearer\s+/i.test(header) ? header.replace(/^Bearer\s+/i, '') : undefined;
    if (!token) throw unauthenticated();
    const claims = this.tokens.verify(token, 'access');
    // Looked up per admin request (not the agent hot path): a disabled account, a changed role or team applies at once.
    const actor = await this.actors.load(claims.sub, claims.auth ?? AuthMethod.PASSWORD);
    if (!actor) throw unauthenticated('Account no longer active');
    req.actor = actor;
    const request = currentRequest();
    if (request) Object.assign(request, { actorId: actor.id, authMethod: actor.authMethod });
    authorizeAttempt(req.actor, requirement.permission);
    return true;
  }
}

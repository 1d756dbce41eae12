import { SetMetadata, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { Actor } from './actor.js';
import type { Permission } from './permission.js';

export const ACCESS = 'hub:access';

/**
 * What an operation requires. Every GraphQL operation and HTTP route declares exactly one; the global guard refuses
 * anything that declares none (deny by default), and a spec walks the schema and the routes to keep it so.
 */
export type AccessRequirement =
  | { kind: 'public' }
  | { kind: 'api-key' }
  | { kind: 'route'; how: string }
  | { kind: 'permission'; permission: Permission };

/** Signed-in people holding `permission` (the per-thing check follows in the service). */
export const Authorize = (permission: Permission) => SetMetadata(ACCESS, { kind: 'permission', permission } satisfies AccessRequirement);
/** Reachable without signing in: sign-in itself, health probes. */
export const Public = () => SetMetadata(ACCESS, { kind: 'public' } satisfies AccessRequirement);
/** Authenticated by an agent's API key in the route's own guard (the MCP endpoints), not by a person's token. */
export const ApiKeyAuth = () => SetMetadata(ACCESS, { kind: 'api-key' } satisfies AccessRequirement);
/** Authenticated by the route itself with a credential that is not a person's or an agent's (say which). */
export const RouteAuth = (how: string) => SetMetadata(ACCESS, { kind: 'route', how } satisfies AccessRequirement);

export interface RequestWithActor {
  actor?: Actor;
  ip?: string;
  headers: Record<string, string | string[] | undefined>;
}

export function requestOf(context: ExecutionContext): RequestWithActor {
  if (context.getType<string>() === 'graphql') return GqlExecutionContext.create(context).getContext<{ req: RequestWithActor }>().req;
  return context.switchToHttp().getRequest<RequestWithActor>();
}

/** The signed-in person, set by the authenticating guard. */
export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => requestOf(context).actor!);

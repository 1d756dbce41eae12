import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { AuthMethod, Role, User } from '../user.entity.js';

export const IS_PUBLIC = 'hub:isPublic';
export const REQUIRED_ROLES = 'hub:roles';

/** Resolver or route reachable without signing in. */
export const Public = () => SetMetadata(IS_PUBLIC, true);
/** Only these roles may call it (checked after authentication). */
export const Roles = (...roles: Role[]) => SetMetadata(REQUIRED_ROLES, roles);

export interface RequestWithUser {
  user?: User;
  /** The sign-in session the access token belongs to. */
  session?: { id: string; method: AuthMethod };
  ip?: string;
  headers: Record<string, string | string[] | undefined>;
}

export function requestOf(context: ExecutionContext): RequestWithUser {
  if (context.getType<string>() === 'graphql') return GqlExecutionContext.create(context).getContext<{ req: RequestWithUser }>().req;
  return context.switchToHttp().getRequest<RequestWithUser>();
}

/** The signed-in user, set by UserAuthGuard. */
export const CurrentUser = createParamDecorator((_: unknown, context: ExecutionContext) => requestOf(context).user);

/** The signed-in user's current sign-in session (id and how they signed in), set by UserAuthGuard. */
export const CurrentSession = createParamDecorator((_: unknown, context: ExecutionContext) => requestOf(context).session);

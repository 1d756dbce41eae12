import { describe, expect, it } from '@jest/globals';
import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Authorize, Permission, Public } from '#auth';
import { ErrorCode, type DomainError } from '#core';
import type { ActorLoader } from './actor-loader.js';
import { AccessGuard } from './access.guard.js';
import type { TokensService } from './tokens.service.js';

class Routes {
  undeclared() {}
  @Public() open() {}
  @Authorize(Permission.SELF_READ) signedIn() {}
}

const contextFor = (handler: keyof Routes, headers: Record<string, string> = {}) =>
  ({
    getType: () => 'http',
    getHandler: () => Routes.prototype[handler],
    getClass: () => Routes,
    switchToHttp: () => ({ getRequest: () => ({ headers }) }),
  }) as unknown as ExecutionContext;

const guard = new AccessGuard(new Reflector(), {} as TokensService, {} as ActorLoader);
const codeOf = (promise: Promise<unknown>) => promise.then(() => 'allowed', (e: DomainError) => e.code);

describe(AccessGuard.name, () => {
  it('should refuse an operation that declares no access requirement', async () => {
    expect(await codeOf(guard.canActivate(contextFor('undeclared')))).toBe(ErrorCode.FORBIDDEN);
  });

  it('should let public operations through without a token', async () => {
    expect(await codeOf(guard.canActivate(contextFor('open')))).toBe('allowed');
  });

  it('should ask for a token on operations that need a permission', async () => {
    expect(await codeOf(guard.canActivate(contextFor('signedIn')))).toBe(ErrorCode.UNAUTHENTICATED);
  });
});

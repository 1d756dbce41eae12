import { afterEach, describe, expect, it } from '@jest/globals';
import {
  Catch,
  Controller,
  Injectable,
  Post,
  Req,
  Res,
  Scope,
  UseFilters,
  type ArgumentsHost,
  type CallHandler,
  type CanActivate,
  type ExceptionFilter,
  type INestApplication,
  type NestInterceptor,
  type PipeTransform,
  type Provider,
} from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE, Reflector } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import type { Request, Response } from 'express';
import type { AddressInfo } from 'node:net';
import type { Observable } from 'rxjs';
import { ApiKeyAuth } from '#auth';
import { AccessGuard, type ActorLoader } from '#users';
import { mountDirectRoute } from './direct-route.js';

@Injectable()
class AuditInterceptor implements NestInterceptor {
  intercept(_context: unknown, next: CallHandler): Observable<unknown> {
    return next.handle();
  }
}

@Injectable()
class TenantGuard implements CanActivate {
  canActivate(): boolean {
    return false;
  }
}

@Catch()
class RouteFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost) {
    host.switchToHttp().getResponse<Response>().status(418).json({ by: 'route filter', caught: (exception as Error).message });
  }
}

@Catch()
class GlobalFilter implements ExceptionFilter {
  catch(_exception: unknown, host: ArgumentsHost) {
    host.switchToHttp().getResponse<Response>().status(500).json({ by: 'global filter' });
  }
}

class RefusingPipe implements PipeTransform {
  transform(): never {
    throw new Error('refused by the global pipe');
  }
}

/** The same route twice: one served directly, one by Nest, to compare their answers. */
function routeAt(path: string) {
  @Controller(path)
  @ApiKeyAuth()
  @UseFilters(RouteFilter)
  class EchoController {
    @Post(':id')
    async post(@Req() req: Request, @Res() res: Response): Promise<void> {
      if (req.params.id === 'fail') throw new Error('handler failed');
      res.json({ id: req.params.id });
    }
  }
  return EchoController;
}
const DirectController = routeAt('direct');
const NestController = routeAt('nest');

/** The hub's global guard, with what it needs to let @ApiKeyAuth() routes through (it never reads a token there). */
const accessGuard: Provider = { provide: APP_GUARD, useFactory: (reflector: Reflector) => new AccessGuard(reflector, {} as never, {} as ActorLoader), inject: [Reflector] };

describe('mountDirectRoute and global enhancers', () => {
  let app: INestApplication | undefined;
  afterEach(() => app?.close());

  const boot = async (providers: Provider[]) => {
    const module = await Test.createTestingModule({ controllers: [DirectController, NestController], providers }).compile();
    app = module.createNestApplication({ logger: false });
    return app;
  };

  it('should refuse to mount when a global interceptor (APP_INTERCEPTOR) exists, naming it', async () => {
    const app = await boot([accessGuard, { provide: APP_INTERCEPTOR, useClass: AuditInterceptor }]);
    expect(() => mountDirectRoute(app, DirectController, 'post')).toThrow(/EchoController\.post: the global interceptor AuditInterceptor \(APP_INTERCEPTOR or app\.useGlobalInterceptors\(\)\) would not run on this direct route.*@UseInterceptors/);
  });

  it('should refuse to mount when a request-scoped global interceptor exists', async () => {
    const app = await boot([{ provide: APP_INTERCEPTOR, useClass: AuditInterceptor, scope: Scope.REQUEST }]);
    expect(() => mountDirectRoute(app, DirectController, 'post')).toThrow(/global interceptor AuditInterceptor/);
  });

  it('should refuse to mount after app.useGlobalInterceptors() or app.useGlobalGuards()', async () => {
    (await boot([])).useGlobalInterceptors(new AuditInterceptor());
    expect(() => mountDirectRoute(app!, DirectController, 'post')).toThrow(/global interceptor AuditInterceptor/);
    await app!.close();
    (await boot([])).useGlobalGuards(new TenantGuard());
    expect(() => mountDirectRoute(app!, DirectController, 'post')).toThrow(/global guard TenantGuard \(APP_GUARD or app\.useGlobalGuards\(\)\)/);
  });

  it('should refuse to mount when a global guard other than AccessGuard exists', async () => {
    const app = await boot([accessGuard, { provide: APP_GUARD, useClass: TenantGuard }]);
    expect(() => mountDirectRoute(app, DirectController, 'post')).toThrow(/global guard TenantGuard/);
  });

  it("should mount with the global AccessGuard, a global filter and a global pipe, and answer as Nest's own route does", async () => {
    const app = await boot([accessGuard, { provide: APP_FILTER, useClass: GlobalFilter }, { provide: APP_PIPE, useValue: new RefusingPipe() }]);
    mountDirectRoute(app, DirectController, 'post');
    await app.listen(0, '127.0.0.1');
    const url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    const post = async (path: string) => {
      const res = await fetch(`${url}${path}`, { method: 'POST' });
      return { status: res.status, body: (await res.json()) as unknown };
    };
    // Nest never hands @Req()/@Res() to a pipe, and asks the route's catch-all filter before the global one.
    for (const id of ['abc', 'fail']) expect(await post(`/direct/${id}`)).toEqual(await post(`/nest/${id}`));
    expect(await post('/direct/abc')).toEqual({ status: 201, body: { id: 'abc' } }); // Nest's default for POST
    expect(await post('/direct/fail')).toEqual({ status: 418, body: { by: 'route filter', caught: 'handler failed' } });
  });

  it("should refuse to mount a route Nest already serves (after app.init()), or one mounted twice", async () => {
    const app = await boot([]);
    mountDirectRoute(app, DirectController, 'post');
    expect(() => mountDirectRoute(app, DirectController, 'post')).toThrow(/POST \/direct\/:id is already routed/);
    await app.init();
    expect(() => mountDirectRoute(app, NestController, 'post')).toThrow(/EchoController\.post: POST \/nest\/:id is already routed \(app\.init\(\) or listen\(\) ran/);
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  Body,
  Catch,
  Controller,
  Header,
  Injectable,
  Post,
  Req,
  Res,
  UseFilters,
  UseGuards,
  UseInterceptors,
  type ArgumentsHost,
  type CallHandler,
  type CanActivate,
  type ExceptionFilter,
  type ExecutionContext,
  type INestApplication,
  type NestInterceptor,
} from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Request, Response } from 'express';
import type { AddressInfo } from 'node:net';
import { finalize, type Observable } from 'rxjs';
import { ApiKeyAuth, Public } from '#auth';
import { mountDirectRoute } from './direct-route.js';

type Traced = Request & { trace?: string[] };

@Injectable()
class HeaderGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Traced>();
    if (req.headers['x-deny'] === 'throw') throw new Error('refused by HeaderGuard');
    (req.trace ??= []).push('guard');
    return req.headers['x-deny'] !== 'false';
  }
}

@Injectable()
class TraceInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<Traced>();
    req.trace!.push('before');
    return next.handle().pipe(finalize(() => req.trace!.push('after')));
  }
}

/** Acts before the handler only, as the quota interceptor does: hands the handler's own stream back. */
@Injectable()
class BeforeOnlyInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    context.switchToHttp().getRequest<Traced>().trace!.push('before only');
    return next.handle();
  }
}

@Catch()
class JsonFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost) {
    host.switchToHttp().getResponse<Response>().status(418).json({ caught: (exception as Error).message });
  }
}

@Catch()
class BrokenFilter implements ExceptionFilter {
  catch(): void {
    throw new Error('the filter failed too');
  }
}

@Controller('broken')
@ApiKeyAuth()
@UseFilters(BrokenFilter)
class BrokenFilterController {
  @Post(':id')
  async post(@Req() _req: Request, @Res() _res: Response): Promise<void> {
    throw new Error('handler failed');
  }
}

@Controller('direct')
@ApiKeyAuth()
@UseGuards(HeaderGuard)
@UseFilters(JsonFilter)
class DirectController {
  @Post(':id')
  @UseInterceptors(TraceInterceptor)
  async post(@Req() req: Traced, @Res() res: Response): Promise<void> {
    req.trace!.push('handler');
    if (req.params.id === 'fail') throw new Error('handler failed');
    // The interceptor's `after` runs once this resolves: answered on the next turn, so it shows in the trace.
    setImmediate(() => res.json({ id: req.params.id, trace: req.trace }));
  }
}

@Controller('quick')
@ApiKeyAuth()
@UseGuards(HeaderGuard)
@UseInterceptors(BeforeOnlyInterceptor, BeforeOnlyInterceptor)
@UseFilters(JsonFilter)
class BeforeOnlyController {
  @Post(':id')
  async post(@Req() req: Traced, @Res() res: Response): Promise<void> {
    req.trace!.push('handler');
    await new Promise((resolve) => setImmediate(resolve));
    if (req.params.id === 'fail') throw new Error('handler failed later');
    res.json({ id: req.params.id, trace: req.trace });
  }
}

@Controller('public')
@Public()
@UseFilters(JsonFilter)
class PublicController {
  @Post(':id')
  async post(@Req() _req: Request, @Res() res: Response): Promise<void> {
    res.end();
  }
}

@Controller('body')
@ApiKeyAuth()
@UseFilters(JsonFilter)
class BodyController {
  @Post(':id')
  async post(@Body() _body: unknown): Promise<void> {}
}

@Controller('header')
@ApiKeyAuth()
@UseFilters(JsonFilter)
class HeaderController {
  @Post(':id')
  @Header('cache-control', 'no-store')
  async post(@Req() _req: Request, @Res() res: Response): Promise<void> {
    res.end();
  }
}

describe(mountDirectRoute.name, () => {
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    const module = await Test.createTestingModule({ controllers: [DirectController, PublicController, BodyController, BrokenFilterController, HeaderController, BeforeOnlyController], providers: [HeaderGuard, TraceInterceptor, BeforeOnlyInterceptor] }).compile();
    app = module.createNestApplication({ logger: false });
    // App-level middleware ahead of the routes (the hub's request context): it runs whichever way a request goes.
    app.use((_req: Request, res: Response, next: () => void) => (res.setHeader('x-tagged', 'yes'), next()));
    mountDirectRoute(app, DirectController, 'post');
    mountDirectRoute(app, BrokenFilterController, 'post');
    mountDirectRoute(app, BeforeOnlyController, 'post');
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(() => app.close());

  const post = async (path: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${url}${path}`, { method: 'POST', headers });
    return { status: res.status, body: (await res.json()) as Record<string, unknown>, tagged: res.headers.get('x-tagged') };
  };

  it('should run the declared guard, then the interceptor around the handler, in Nest order', async () => {
    const res = await post('/direct/abc?x=1');
    // 201: Nest's status for a POST whose handler sets none.
    expect(res).toEqual({ status: 201, body: { id: 'abc', trace: ['guard', 'before', 'handler', 'after'] }, tagged: 'yes' });
  });

  it('should run interceptors that act before the handler only, then the handler, and filter its later failure', async () => {
    expect(await post('/quick/abc')).toEqual({ status: 201, body: { id: 'abc', trace: ['guard', 'before only', 'before only', 'handler'] }, tagged: 'yes' });
    expect(await post('/quick/fail')).toEqual({ status: 418, body: { caught: 'handler failed later' }, tagged: 'yes' });
    expect(await post('/quick/abc', { 'x-deny': 'false' })).toEqual({ status: 418, body: { caught: 'Forbidden resource' }, tagged: 'yes' });
  });

  it("should serve the forms it leaves to Express's router (case, trailing slash, encoded parameter) the same way", async () => {
    const expected = { status: 201, body: { id: 'abc', trace: ['guard', 'before', 'handler', 'after'] }, tagged: 'yes' };
    for (const path of ['/DIRECT/abc', '/direct/abc/', '/direct/a%62c']) expect(await post(path)).toEqual(expected);
    expect(await post('/direct/a%20c')).toEqual({ ...expected, body: { ...expected.body, id: 'a c' } });
  });

  it('should answer through the declared filter when a guard refuses or throws, without running the handler', async () => {
    for (const path of ['/direct/abc', '/direct/abc/']) {
      expect(await post(path, { 'x-deny': 'false' })).toEqual({ status: 418, body: { caught: 'Forbidden resource' }, tagged: 'yes' });
      expect(await post(path, { 'x-deny': 'throw' })).toEqual({ status: 418, body: { caught: 'refused by HeaderGuard' }, tagged: 'yes' });
    }
  });

  it("should answer the handler's failure through the declared filter", async () => {
    expect(await post('/direct/fail')).toEqual({ status: 418, body: { caught: 'handler failed' }, tagged: 'yes' });
  });

  it('should still answer (500, JSON-RPC error) when the filter itself fails', async () => {
    expect(await post('/broken/abc')).toEqual({ status: 500, body: { jsonrpc: '2.0', id: null, error: { code: -32603, message: 'Internal error' } }, tagged: 'yes' });
  });

  it('should refuse at boot to serve a route ahead of Express when middleware mounted on a path comes before it', async () => {
    const module = await Test.createTestingModule({ controllers: [DirectController], providers: [HeaderGuard, TraceInterceptor] }).compile();
    const other = module.createNestApplication({ logger: false });
    other.use('/somewhere', (_req: Request, _res: Response, next: () => void) => next());
    expect(() => mountDirectRoute(other, DirectController, 'post')).toThrow(/mounted on a path, is ahead of this direct route/);
    await other.close();
  });

  it('should refuse at boot a route that is not @ApiKeyAuth(), whose handler takes more than (@Req(), @Res()) or that declares @Header()', () => {
    expect(() => mountDirectRoute(app, PublicController, 'post')).toThrow(/@ApiKeyAuth\(\)/);
    expect(() => mountDirectRoute(app, BodyController, 'post')).toThrow(/\(@Req\(\), @Res\(\)\) only/);
    expect(() => mountDirectRoute(app, HeaderController, 'post')).toThrow(/not with @Header\(\)/);
  });
});

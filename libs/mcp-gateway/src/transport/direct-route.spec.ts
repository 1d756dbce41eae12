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
    const module = await Test.createTestingModule({ controllers: [DirectController, PublicController, BodyController, BrokenFilterController, HeaderController], providers: [HeaderGuard, TraceInterceptor] }).compile();
    app = module.createNestApplication({ logger: false });
    mountDirectRoute(app, DirectController, 'post');
    mountDirectRoute(app, BrokenFilterController, 'post');
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(() => app.close());

  const post = async (path: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${url}${path}`, { method: 'POST', headers });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('should run the declared guard, then the interceptor around the handler, in Nest order', async () => {
    const res = await post('/direct/abc');
    // 201: Nest's status for a POST whose handler sets none.
    expect(res).toEqual({ status: 201, body: { id: 'abc', trace: ['guard', 'before', 'handler', 'after'] } });
  });

  it('should answer through the declared filter when a guard refuses or throws, without running the handler', async () => {
    expect(await post('/direct/abc', { 'x-deny': 'false' })).toEqual({ status: 418, body: { caught: 'Forbidden resource' } });
    expect(await post('/direct/abc', { 'x-deny': 'throw' })).toEqual({ status: 418, body: { caught: 'refused by HeaderGuard' } });
  });

  it("should answer the handler's failure through the declared filter", async () => {
    expect(await post('/direct/fail')).toEqual({ status: 418, body: { caught: 'handler failed' } });
  });

  it('should still answer (500, JSON-RPC error) when the filter itself fails', async () => {
    expect(await post('/broken/abc')).toEqual({ status: 500, body: { jsonrpc: '2.0', id: null, error: { code: -32603, message: 'Internal error' } } });
  });

  it('should refuse at boot a route that is not @ApiKeyAuth(), whose handler takes more than (@Req(), @Res()) or that declares @Header()', () => {
    expect(() => mountDirectRoute(app, PublicController, 'post')).toThrow(/@ApiKeyAuth\(\)/);
    expect(() => mountDirectRoute(app, BodyController, 'post')).toThrow(/\(@Req\(\), @Res\(\)\) only/);
    expect(() => mountDirectRoute(app, HeaderController, 'post')).toThrow(/not with @Header\(\)/);
  });
});

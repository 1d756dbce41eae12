import { ForbiddenException, RequestMethod, type CallHandler, type CanActivate, type ExceptionFilter, type INestApplication, type NestInterceptor, type Type } from '@nestjs/common';
import { EXCEPTION_FILTERS_METADATA, FILTER_CATCH_EXCEPTIONS, GUARDS_METADATA, HEADERS_METADATA, HTTP_CODE_METADATA, INTERCEPTORS_METADATA, METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import type { Express, Request, Response } from 'express';
import { defer, from, isObservable, lastValueFrom, mergeAll, type Observable } from 'rxjs';
import { ACCESS, type AccessRequirement } from '#auth';
import { mountAheadOfExpress } from './direct-route-dispatch.js';
import { refuseUnservedGlobalEnhancers } from './direct-route-globals.js';

type Enhancer<T> = Type<T> | T;
type RouteHandler = (req: Request, res: Response) => Promise<void>;

const metadata = <T>(key: string, ...targets: object[]): T[] => targets.flatMap((t) => (Reflect.getMetadata(key, t) as T[] | undefined) ?? []);

/**
 * Serves one Nest route as a plain express route, mounted ahead of Nest's router (and, for requests in the plain
 * form, ahead of Express's router too: direct-route-dispatch.ts): for the agents' call path, where Nest's
 * per-request pipeline (guard and interceptor consumers over rxjs, parameter factories, the router's layers) cost
 * more hub CPU than the call itself. It runs what the route declares — its guards, then its interceptors around
 * the handler, its exception filters on any failure — read from the route's own decorators (the declaration stays
 * the one place that says what protects it), on the instances Nest made, in Nest's order.
 *
 * Like Nest, it sets the route's status (201 for a POST, or its @HttpCode()) once the guards let the request in.
 *
 * Refuses at boot what it does not reproduce: a handler taking anything but (@Req(), @Res()), @Header(), filters
 * that catch only some exceptions, an access requirement other than @ApiKeyAuth() (the global AccessGuard lets those
 * through unchecked: the route's own ApiKeyGuard authenticates), a global guard or interceptor other than AccessGuard
 * (direct-route-globals.ts), and a route Nest has already registered (Nest's would be the one to serve it).
 */
export function mountDirectRoute<T extends object>(app: INestApplication, controllerType: Type<T>, method: keyof T & string): void {
  const handler = controllerType.prototype[method] as (...args: unknown[]) => Promise<void>;
  const requestMethod = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod;
  const path = `/${[Reflect.getMetadata(PATH_METADATA, controllerType), Reflect.getMetadata(PATH_METADATA, handler)].join('/')}`.replace(/\/+/g, '/');
  const where = `${controllerType.name}.${method}`;
  const access = (Reflect.getMetadata(ACCESS, handler) ?? Reflect.getMetadata(ACCESS, controllerType)) as AccessRequirement | undefined;
  if (access?.kind !== 'api-key') throw new Error(`${where}: a direct route must be declared @ApiKeyAuth()`);
  const args = Object.keys((Reflect.getMetadata(ROUTE_ARGS_METADATA, controllerType, method) as object | undefined) ?? {}).sort();
  if (args.join() !== [`${RouteParamtypes.REQUEST}:0`, `${RouteParamtypes.RESPONSE}:1`].join()) throw new Error(`${where}: a direct route's handler takes (@Req(), @Res()) only`);
  if (Reflect.getMetadata(HEADERS_METADATA, handler)) throw new Error(`${where}: a direct route sets its headers itself, not with @Header()`);
  refuseUnservedGlobalEnhancers(app, where);
  // Nest sets it after the guards, before the interceptors: what a handler answering without a status sends.
  const status = (Reflect.getMetadata(HTTP_CODE_METADATA, handler) as number | undefined) ?? (requestMethod === RequestMethod.POST ? 201 : 200);

  const resolve = <E>(enhancer: Enhancer<E>): E => (typeof enhancer === 'function' ? app.get(enhancer as Type<E>, { strict: false }) : enhancer);
  // Nest's order: the controller's enhancers, then the method's.
  const guards = metadata<Enhancer<CanActivate>>(GUARDS_METADATA, controllerType, handler).map(resolve);
  const interceptors = metadata<Enhancer<NestInterceptor>>(INTERCEPTORS_METADATA, controllerType, handler).map(resolve);
  const filterTypes = metadata<Enhancer<ExceptionFilter>>(EXCEPTION_FILTERS_METADATA, handler, controllerType);
  for (const filter of filterTypes) {
    const type = typeof filter === 'function' ? filter : filter.constructor;
    if (((Reflect.getMetadata(FILTER_CATCH_EXCEPTIONS, type) as unknown[] | undefined) ?? []).length) throw new Error(`${where}: a direct route's filters must catch everything (@Catch())`);
  }
  const filter = filterTypes.length ? resolveFilter(app, filterTypes[0]) : undefined;
  if (!filter) throw new Error(`${where}: a direct route needs an exception filter`);
  const controller = app.get(controllerType, { strict: false });

  const serve: RouteHandler = async (req, res) => {
    const context = new ExecutionContextHost([req, res, undefined], controllerType, handler);
    try {
      for (const guard of guards) {
        const allowed = guard.canActivate(context);
        if (!(isObservable(allowed) ? await lastValueFrom(allowed) : await allowed)) throw new ForbiddenException('Forbidden resource');
      }
      res.status(status);
      const call = () => handler.call(controller, req, res);
      const handled = defer(call);
      const out = interceptors.length ? intercepted(interceptors, context, handled) : handled;
      // Interceptors that only act before the handler (the quota gate) hand back the handler's own stream: its one
      // value is the handler's promise, so awaiting that is what subscribing would do, without rxjs's subscriber
      // chain on every agent call.
      if (out === handled) await call();
      else await lastValueFrom(out, { defaultValue: undefined });
    } catch (error) {
      try {
        filter.catch(error, context);
      } catch {
        // A filter that fails itself: the agent still gets an answer, and the process an error it does not die of.
        if (!res.headersSent) res.status(500).json({ jsonrpc: '2.0', id: null, error: { code: -32603, message: 'Internal error' } });
        else res.end();
      }
    }
  };
  const express = app.getHttpAdapter().getInstance() as Express;
  const verb = RequestMethod[requestMethod].toLowerCase() as 'post' | 'get' | 'delete';
  // Express serves a request with the first route that matches: a direct route mounted after Nest's would never run.
  const taken = (express.router.stack as { route?: { path: unknown; methods: Record<string, boolean> } }[]).some((layer) => layer.route?.path === path && layer.route.methods[verb]);
  if (taken) throw new Error(`${where}: ${verb.toUpperCase()} ${path} is already routed (app.init() or listen() ran, or it was mounted twice): mount direct routes right after NestFactory.create`);
  mountAheadOfExpress(app, { method: verb.toUpperCase(), path, serve: (req, res) => void serve(req, res) }, where);
}

/** The interceptors wrapped around the handler's stream, outermost first; the handler runs when `handled` is subscribed. */
function intercepted(interceptors: NestInterceptor[], context: ExecutionContextHost, handled: Observable<unknown>): Observable<unknown> {
  const at = (i: number): Observable<unknown> => {
    if (i === interceptors.length) return handled;
    const next: CallHandler = { handle: () => at(i + 1) };
    const out = interceptors[i].intercept(context, next);
    return isObservable(out) ? out : from(out).pipe(mergeAll());
  };
  return at(0);
}

/** Filters named by class are not providers: Nest makes them with `new` when they need no injection. */
function resolveFilter(app: INestApplication, filter: Enhancer<ExceptionFilter>): ExceptionFilter {
  if (typeof filter !== 'function') return filter;
  try {
    return app.get(filter as Type<ExceptionFilter>, { strict: false });
  } catch {
    return new (filter as new () => ExceptionFilter)();
  }
}

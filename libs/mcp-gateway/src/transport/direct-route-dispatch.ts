import type { INestApplication } from '@nestjs/common';
import type { Express, NextFunction, Request, RequestHandler, Response } from 'express';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/** One direct route as the dispatcher serves it. */
export interface DispatchedRoute {
  method: string;
  /** Express's path, e.g. /mcp/:group. */
  path: string;
  serve(req: Request, res: Response): void;
}

interface Entry {
  method: string;
  pattern: RegExp;
  params: string[];
  serve(req: Request, res: Response): void;
  /** The app-level middleware Express runs ahead of this route (e.g. the request context). */
  before: RequestHandler[];
}

/** Parameter values that need no decoding (slugs); anything else is left to Express's router. */
const PLAIN_PARAM = '([A-Za-z0-9_-]+)';
const tables = new WeakMap<Server, Entry[]>();
/** The Express routes mounted here for the requests the dispatcher leaves to Express. */
const fallbacks = new WeakSet<RequestHandler>();

/**
 * Mounts a direct route twice: on Express as usual, and ahead of Express's router, which walks its layers and
 * matches each path with path-to-regexp on every request (~25 µs of hub CPU per call here). A request in the plain
 * form (exact case, no trailing slash, a parameter of slug characters) gets Express's own per-request set-up
 * (`app.handle`: prototypes, circular references), the app-level middleware mounted ahead of the route, then the
 * route; anything else, e.g. `/MCP/x/` or a percent-encoded parameter, goes through Express to the same route.
 *
 * Refuses at boot what it would not reproduce: middleware ahead of the route that is mounted on a path or is a
 * route, and a server whose request listener is not the Express app.
 */
export function mountAheadOfExpress(app: INestApplication, route: DispatchedRoute, where: string): void {
  const express = app.getHttpAdapter().getInstance() as Express;
  const server = app.getHttpServer() as Server;
  const table = tables.get(server) ?? listenAhead(server, express, where);
  const params: string[] = [];
  const source = route.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:(\w+)/g, (_, name: string) => (params.push(name), PLAIN_PARAM));
  table.push({ method: route.method, pattern: new RegExp(`^${source}(?:\\?|$)`), params, serve: route.serve, before: middlewareAhead(express, where) });
  const fallback: RequestHandler = (req, res) => route.serve(req, res);
  fallbacks.add(fallback);
  express[route.method.toLowerCase() as 'post'](route.path, fallback);
}

/** Puts a table of direct routes between the server and Express: the first match serves, else Express does. */
function listenAhead(server: Server, express: Express, where: string): Entry[] {
  const listeners = server.listeners('request');
  if (listeners.length !== 1 || listeners[0] !== express) throw new Error(`${where}: the HTTP server's request listener is not the Express app: cannot serve direct routes ahead of it`);
  const table: Entry[] = [];
  tables.set(server, table);
  server.removeListener('request', express);
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    for (const entry of table) {
      const found = req.method === entry.method ? entry.pattern.exec(req.url ?? '') : null;
      if (found) return serveDirect(express, entry, found, req, res);
    }
    express(req, res);
  });
  return table;
}

/** What `app.handle` and the router do before a route's handler, for the one route already found. */
function serveDirect(express: Express, entry: Entry, found: RegExpExecArray, req: IncomingMessage, res: ServerResponse): void {
  const request = req as Request;
  const response = res as Response;
  if (express.enabled('x-powered-by')) res.setHeader('X-Powered-By', 'Express');
  const params: Record<string, string> = {};
  for (let i = 0; i < entry.params.length; i++) params[entry.params[i]] = found[i + 1];
  request.res = response;
  request.originalUrl = req.url!;
  request.baseUrl = '';
  request.params = params;
  response.req = request;
  response.locals = Object.create(null) as Record<string, unknown>;
  // Nothing to do on the hub's server, whose requests are born with them (apps/hub/src/hub-express.adapter.ts).
  Object.setPrototypeOf(req, express.request);
  Object.setPrototypeOf(res, express.response);
  const next = (i: number): NextFunction => (error?: unknown) => {
    // (The hub's middleware never fails; a failure is answered as the route's own last resort answers one.)
    if (error !== undefined) return void (res.headersSent ? res.end() : response.status(500).json({ jsonrpc: '2.0', id: null, error: { code: -32603, message: 'Internal error' } }));
    if (i === entry.before.length) return entry.serve(request, response);
    entry.before[i](request, response, next(i + 1));
  };
  next(0)();
}

/** The handlers of the middleware layers ahead of the route being mounted (other direct routes aside); all must apply to every path. */
function middlewareAhead(express: Express, where: string): RequestHandler[] {
  type Layer = { route?: { stack: { handle: RequestHandler }[] }; slash?: boolean; name: string; handle: RequestHandler };
  const isFallback = (layer: Layer) => layer.route?.stack.length === 1 && fallbacks.has(layer.route.stack[0].handle);
  return (express.router.stack as Layer[]).filter((layer) => !isFallback(layer)).map((layer) => {
    if (layer.route || !layer.slash) throw new Error(`${where}: ${layer.route ? 'a route' : `the middleware ${layer.name}, mounted on a path,`} is ahead of this direct route, which serves requests ahead of Express's router: mount direct routes first`);
    return layer.handle;
  });
}

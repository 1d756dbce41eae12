import type { NestApplicationOptions } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import type { Express } from 'express';
import { IncomingMessage, ServerResponse, createServer, type Server } from 'node:http';

/**
 * Nest's Express adapter, with an HTTP server whose requests and responses are born with Express's prototypes
 * (`app.request`, `app.response`) instead of receiving them per request (`Object.setPrototypeOf` in Express's
 * set-up, and in direct-route-dispatch.ts, now does nothing: the prototype is already the one set).
 *
 * Why: V8 gives an object whose prototype was swapped a map of its own, and every later property it gains or
 * changes makes another. Each request then had maps no other request shared, so every property access on it, in
 * Node's HTTP code and the hub's, missed V8's inline caches: 17 % of the hub's CPU per call on the agents' path,
 * in LoadIC/StoreIC misses (perf, on-CPU samples; V8's own profiler charges them elsewhere).
 */
export class HubExpressAdapter extends ExpressAdapter {
  override initHttpServer(options: NestApplicationOptions): void {
    // What Nest's initHttpServer would add and this one does not reproduce: refused, not dropped in silence.
    for (const option of ['httpsOptions', 'forceCloseConnections', 'return503OnClosing'] as const) {
      if (options[option]) throw new Error(`HubExpressAdapter: the ${option} option is not supported`);
    }
    const app = this.getInstance<Express>();
    this.httpServer = createServer({ IncomingMessage: bornWith(IncomingMessage, app.request), ServerResponse: bornWith(ServerResponse, app.response) }, app) as Server;
  }
}

/** A constructor that runs Node's own (a plain function, callable on `this`) on an object with `prototype`. */
function bornWith<C extends typeof IncomingMessage | typeof ServerResponse>(base: C, prototype: object): C {
  const construct = base as unknown as (this: object, first: unknown, second: unknown) => void;
  function Born(this: object, first: unknown, second: unknown): void {
    construct.call(this, first, second);
  }
  Born.prototype = prototype;
  return Born as unknown as C;
}

import type { INestApplication } from '@nestjs/common';
import { ApplicationConfig } from '@nestjs/core';
import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper.js';
import { AccessGuard } from '#users';

/**
 * Global enhancers a direct route accounts for without running them. AccessGuard, the hub's deny-by-default guard,
 * lets every @ApiKeyAuth() route through without a check or a side effect (the route's own ApiKeyGuard authenticates
 * the agent), and a direct route refuses at boot any route not declared @ApiKeyAuth(): running it would change nothing.
 */
const ACCOUNTED_FOR: readonly Function[] = [AccessGuard];

/**
 * The global enhancers Nest would run on a direct route's method. Not among them, because Nest would not run them
 * there either: global filters (Nest asks the method's filters, then the controller's, then the global ones, and a
 * direct route's own filter catches everything) and global pipes (Nest hands pipes parameters such as @Body() or
 * @Param(), never @Req() or @Res(), and a direct route's handler takes nothing else).
 */
const KINDS: [kind: string, registeredBy: string, types: (config: ApplicationConfig) => (Function | null)[]][] = [
  ['guard', 'APP_GUARD or app.useGlobalGuards()', (c) => typesOf(c.getGlobalGuards(), c.getGlobalRequestGuards())],
  ['interceptor', 'APP_INTERCEPTOR or app.useGlobalInterceptors()', (c) => typesOf(c.getGlobalInterceptors(), c.getGlobalRequestInterceptors())],
];

/** Classes of the static instances and of the request-scoped providers (kept as wrappers, made per request). */
function typesOf(instances: object[], requestScoped: InstanceWrapper[]): (Function | null)[] {
  return [...instances.filter((e) => e != null).map((e) => e.constructor), ...requestScoped.map((w) => w.metatype)];
}

/**
 * Refuses to mount a direct route while the app has a global guard or interceptor the route would skip: Nest runs
 * those on every route, a direct route only what its controller declares. Global providers (APP_GUARD…) are known
 * once NestFactory.create has returned; app.useGlobal*() calls are seen only when made before the route is mounted.
 */
export function refuseUnservedGlobalEnhancers(app: INestApplication, where: string): void {
  // Nest keeps its ApplicationConfig private; should an upgrade move it, fail here rather than skip the check.
  const config = (app as unknown as { config?: unknown }).config;
  if (!(config instanceof ApplicationConfig)) throw new Error(`${where}: cannot read the app's global enhancers (Nest's ApplicationConfig moved?): update direct-route-globals.ts`);
  for (const [kind, registeredBy, types] of KINDS) {
    for (const type of types(config)) {
      if (type && ACCOUNTED_FOR.includes(type)) continue;
      throw new Error(
        `${where}: the global ${kind} ${type?.name || '(anonymous)'} (${registeredBy}) would not run on this direct route, which runs ` +
          `only what its controller declares. Declare it on the controller (@UseGuards/@UseInterceptors), or make ` +
          `transport/direct-route.ts run it and list it in direct-route-globals.ts, or stop serving this route directly.`,
      );
    }
  }
}

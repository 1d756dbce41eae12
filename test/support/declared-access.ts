import { RequestMethod, type INestApplication } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { ACCESS, type AccessRequirement } from '#auth';

const RESOLVER_TYPE = 'graphql:resolver_type';
const RESOLVER_NAME = 'graphql:resolver_name';
const PATH = 'path';
const METHOD = 'method';

export interface DeclaredOperation {
  /** `Query.servers`, `Mutation.login`, `GET /health/live`, … */
  name: string;
  access: AccessRequirement | undefined;
}

/** Every GraphQL root operation and HTTP route the app serves, with the access it declares (as the guard reads it). */
export function declaredOperations(app: INestApplication): { graphql: DeclaredOperation[]; http: DeclaredOperation[] } {
  const discovery = app.get(DiscoveryService);
  const scanner = app.get(MetadataScanner);
  const reflector = app.get(Reflector);
  const access = (handler: object, cls: object) => reflector.getAllAndOverride<AccessRequirement | undefined>(ACCESS, [handler as never, cls as never]);
  const graphql: DeclaredOperation[] = [];
  for (const wrapper of discovery.getProviders()) {
    const instance = wrapper.instance as object | undefined;
    if (!instance || !Object.getPrototypeOf(instance)) continue;
    const proto = Object.getPrototypeOf(instance) as Record<string, object>;
    for (const method of scanner.getAllMethodNames(proto)) {
      const type = Reflect.getMetadata(RESOLVER_TYPE, proto[method]) as string | undefined;
      if (type !== 'Query' && type !== 'Mutation' && type !== 'Subscription') continue;
      const name = (Reflect.getMetadata(RESOLVER_NAME, proto[method]) as string | undefined) ?? method;
      graphql.push({ name: `${type}.${name}`, access: access(proto[method], instance.constructor) });
    }
  }
  const http: DeclaredOperation[] = [];
  for (const wrapper of discovery.getControllers()) {
    const instance = wrapper.instance as object;
    const proto = Object.getPrototypeOf(instance) as Record<string, object>;
    const base = (Reflect.getMetadata(PATH, instance.constructor) as string | undefined) ?? '';
    for (const method of scanner.getAllMethodNames(proto)) {
      const path = Reflect.getMetadata(PATH, proto[method]) as string | undefined;
      if (path === undefined) continue;
      const verb = RequestMethod[Reflect.getMetadata(METHOD, proto[method]) as number];
      http.push({ name: `${verb} /${[base, path].filter((p) => p && p !== '/').join('/')}`, access: access(proto[method], instance.constructor) });
    }
  }
  return { graphql, http };
}

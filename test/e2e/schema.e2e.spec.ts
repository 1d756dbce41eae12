import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { lexicographicSortSchema, printSchema, type GraphQLObjectType } from 'graphql';
import { isHubRoute } from '../../apps/hub/src/dashboard/hub-route-prefixes.js';
import { databaseTargets } from '../support/database-targets.js';
import { declaredOperations } from '../support/declared-access.js';
import { startHub, type RunningHub } from '../support/hub-app.js';

const withoutComments = (sdl: string) => sdl.split('\n').filter((l) => !l.startsWith('#')).join('\n').trim();

describe('committed schema.gql and declared access', () => {
  let hub: RunningHub;
  beforeAll(async () => {
    hub = await startHub(databaseTargets[0]);
  });
  afterAll(() => hub?.close());

  it('should match the schema the code builds (regenerate: UPDATE_SCHEMA=1 with this spec)', () => {
    const built = printSchema(lexicographicSortSchema(hub.app.get(GraphQLSchemaHost).schema));
    if (process.env.UPDATE_SCHEMA === '1') {
      const header = readFileSync('schema.gql', 'utf8').split('\n').filter((l) => l.startsWith('#')).join('\n');
      writeFileSync('schema.gql', `${header}\n\n${built}\n`);
    }
    expect(withoutComments(readFileSync('schema.gql', 'utf8'))).toBe(withoutComments(built));
  });

  it('should find a declared access requirement on every query, mutation and subscription of the schema', () => {
    const schema = hub.app.get(GraphQLSchemaHost).schema;
    const roots = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter((t): t is GraphQLObjectType => !!t);
    const inSchema = roots.flatMap((root) => Object.keys(root.getFields()).map((field) => `${root.name}.${field}`)).sort();
    const declared = new Map(declaredOperations(hub.app).graphql.map((op) => [op.name, op.access]));
    // Every schema field has its handler found (so the walk cannot pass by missing operations) ...
    expect(inSchema.filter((name) => !declared.has(name))).toEqual([]);
    expect(inSchema.length).toBeGreaterThan(30);
    // ... and every handler declares what it requires.
    expect(inSchema.filter((name) => !declared.get(name))).toEqual([]);
  });

  it('should find a declared access requirement on every HTTP route', () => {
    const { http } = declaredOperations(hub.app);
    expect(http.map((op) => op.name)).toEqual(expect.arrayContaining(['GET /health/live', 'POST /mcp/:group', 'GET /sse/:group']));
    expect(http.filter((op) => !op.access).map((op) => op.name)).toEqual([]);
  });

  it('should keep every HTTP route out of the dashboard\'s page fallback', () => {
    const { http } = declaredOperations(hub.app);
    expect(http.map((op) => op.name).filter((name) => !isHubRoute(name.split(' ')[1]))).toEqual([]);
  });

  it('should keep public what must be reachable without signing in, and nothing else', () => {
    const { graphql, http } = declaredOperations(hub.app);
    const isPublic = (ops: { name: string; access?: { kind: string } }[]) => ops.filter((op) => op.access?.kind === 'public').map((op) => op.name).sort();
    expect(isPublic(graphql)).toEqual(['Mutation.exchangeSignInCode', 'Mutation.login', 'Mutation.refreshToken', 'Query.signInProviders']);
    expect(http.filter((op) => op.access?.kind === 'route').map((op) => op.name)).toEqual(['GET /metrics']);
    // The MCP Registry API is read-only and public, like the official registry's.
    expect(isPublic(http)).toEqual([
      'GET /auth/:provider',
      'GET /auth/:provider/callback',
      'GET /health/live',
      'GET /health/ready',
      // Upstream OAuth's redirect back: found by its one-time state (no hub token comes with a browser redirect).
      'GET /oauth/upstream/callback',
      'GET /v0.1/servers',
      'GET /v0.1/servers/:name/versions',
      'GET /v0.1/servers/:name/versions/:version',
      'POST /auth/:provider/callback',
    ]);
  });
});

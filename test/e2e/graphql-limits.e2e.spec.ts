import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import { createClient, type Client as WsClient } from 'graphql-ws';
import { pino } from 'pino';
import WebSocket from 'ws';
import { PINO, type Logger } from '#core';
import { databaseTargets } from '../support/database-targets.js';
import { GraphQLClient, errorCode } from '../support/graphql-client.js';
import { startHub, type RunningHub } from '../support/hub-app.js';

// Limits are independent of the database: one target is enough (real PostgreSQL when available).
const target = databaseTargets[databaseTargets.length - 1];

interface LogLine {
  level: number;
  msg: string;
  code?: string;
  err?: unknown;
  [key: string]: unknown;
}

const WARN = 40;
const ERROR = 50;

describe('GraphQL limits, batching and error logging', () => {
  let hub: RunningHub;
  let admin: GraphQLClient;
  const logs: LogLine[] = [];

  const groupCount = async () => (await admin.data<{ groups: unknown[] }>('{ groups(first: 100) { id } }')).groups.length;
  const post = (body: unknown) =>
    fetch(`${hub.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.token}` },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    hub = await startHub(target, { LOG_LEVEL: 'warn' });
    // Capture what pino actually writes (serialized lines), instead of stdout.
    const logger = hub.app.get<Logger>(PINO) as unknown as Record<symbol, unknown>;
    logger[pino.symbols.streamSym] = new Writable({
      write(chunk, _enc, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) logs.push(JSON.parse(line) as LogLine);
        done();
      },
    });
    admin = new GraphQLClient(hub.url);
    await admin.login('admin@example.com', 'admin-password-123');
  });
  afterAll(() => hub?.close());

  it('should refuse 1,000 aliases before executing anything', async () => {
    const aliases = Array.from({ length: 1000 }, (_, i) => `g${i}: createGroup(input: { name: "g${i}", slug: "g${i}" }) { id }`);
    const started = performance.now();
    const res = await admin.request(`mutation { ${aliases.join('\n')} }`);
    const ms = performance.now() - started;
    console.info(`1,000-alias mutation refused in ${ms.toFixed(1)} ms`);
    // The parser's token limit stops it before validation walks 1,000 fields.
    expect(errorCode(res)).toBe('GRAPHQL_PARSE_FAILED');
    expect(res.errors?.[0].message).toMatch(/Document contains more th.t 5000 tokens/);
    expect(res.data).toBeUndefined();
    // Not one group was created: the resolver never ran.
    expect(await groupCount()).toBe(0);
  });

  it('should refuse more aliases than the alias limit, before executing anything', async () => {
    const aliases = Array.from({ length: 31 }, (_, i) => `g${i}: createGroup(input: { name: "g${i}", slug: "g${i}" }) { id }`);
    const res = await admin.request(`mutation { ${aliases.join('\n')} }`);
    expect(errorCode(res)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.errors?.[0].message).toMatch(/Aliases limit of 30 exceeded, found 31/);
    expect(res.data).toBeUndefined();
    expect(await groupCount()).toBe(0);
  });

  it('should refuse a query nested deeper than the depth limit', async () => {
    const ofType = (n: number): string => (n === 0 ? 'name' : `ofType { ${ofType(n - 1)} }`);
    const res = await admin.request(`{ __type(name: "Query") { fields { type { ${ofType(10)} } } } }`);
    expect(errorCode(res)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.errors?.[0].message).toMatch(/depth limit of 12 exceeded, found 14/);
    expect(res.data).toBeUndefined();
  });

  it('should refuse a query over the cost limit though it is within the depth and alias limits', async () => {
    // A full page of servers with their replicas and health, three times over: valid, shallow, few aliases, but costly.
    const page = 'servers(first: 100) { id name slug transport url enabled tags replicas { id name url } health { status checkedAt error } }';
    const aliases = ['a', 'b', 'c'].map((a) => `${a}: ${page}`);
    const res = await admin.request(`{ ${aliases.join('\n')} }`);
    expect(errorCode(res)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.errors?.map((e) => e.message).join('\n')).toMatch(/Query Cost limit of 5000 exceeded/);
    expect(res.errors?.map((e) => e.message).join('\n')).not.toMatch(/Aliases|Depth/);
  });

  it('should answer a dashboard-sized query', async () => {
    await admin.data('mutation { createGroup(input: { name: "dev", slug: "dev" }) { id } }');
    const res = await admin.request(`{
      me { id email role }
      servers { id name slug transport url enabled lastError tags loadBalancing
        replicas { id name transport url weight priority enabled }
        health { replicaId status checkedAt latencyMs error }
        runtime { replicaId connected inFlight } }
      groups { id name slug description toolFilterMode toolFilter clientConfig
        endpoints { streamableHttp sse } servers { id name slug } }
      apiKeys { nodes { id name prefix groupIds tags expiresAt revokedAt perMinute perDay lastUsedAt owner { email } } pageInfo { endCursor hasNextPage } }
      users { id email role }
    }`);
    expect(res.errors).toBeUndefined();
    expect(res.data).toMatchObject({ me: { email: 'admin@example.com' }, groups: [{ slug: 'dev' }] });
  });

  it('should refuse an over-limit subscription over graphql-ws', async () => {
    const ws: WsClient = createClient({
      url: hub.url.replace('http', 'ws') + '/graphql',
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${admin.token}` },
    });
    try {
      const fields = Array.from({ length: 40 }, (_, i) => `a${i}: serverId`).join(' ');
      const errors = await new Promise<unknown>((resolve, reject) => {
        ws.subscribe({ query: `subscription { serverStatusChanged { ${fields} } }` }, { next: () => reject(new Error('subscribed')), error: resolve, complete: () => reject(new Error('completed')) });
      });
      expect(JSON.stringify(errors)).toMatch(/Aliases limit of 30 exceeded, found 40/);
    } finally {
      await ws.dispose();
    }
    // An accepted subscription stays silent: fail within seconds rather than at the default timeout.
  }, 10_000);

  it('should refuse a batched (JSON array) request with 400 BAD_REQUEST', async () => {
    const res = await post([{ query: '{ me { id } }' }, { query: '{ me { email } }' }]);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0].extensions.code).toBe('BAD_REQUEST');
    expect(body.errors[0].message).toMatch(/Batched requests .* not supported/);
  });

  it('should log client mistakes at warn without a stack trace, and nothing at error', async () => {
    logs.length = 0;
    await admin.request('{ me { id '); // syntax error
    await admin.request('{ me { nope } }'); // validation error
    await admin.request('query($n: Int!){ servers(first: $n) { id } }', { n: 'ten' }); // bad variable
    await admin.request('{ server(id: "00000000-0000-4000-8000-000000000000") { id } }'); // NOT_FOUND
    await admin.request('{ server(id: "nope") { id } }'); // BAD_USER_INPUT
    await post([{ query: '{ me { id } }' }]); // batch
    await admin.request(`{ ${Array.from({ length: 31 }, (_, i) => `m${i}: me { id }`).join(' ')} }`); // limit
    // Mistyped secrets: the caller sees the value quoted back; the log must not.
    const echoed = await admin.request('mutation($i: CreateUserInput!){ createUser(input: $i){ id } }', {
      i: { email: 'x@example.com', password: 'pw-secret-in-log-1', bogus: 1 },
    });
    expect(JSON.stringify(echoed.errors)).toContain('pw-secret-in-log-1');
    await admin.request('mutation { login(email: "x@example.com", password: 987654321987) { accessToken } }');
    const codes = logs.filter((l) => l.level === WARN).map((l) => l.code);
    expect(codes).toEqual([
      'GRAPHQL_PARSE_FAILED',
      'GRAPHQL_VALIDATION_FAILED',
      'BAD_USER_INPUT',
      'NOT_FOUND',
      'BAD_USER_INPUT',
      'BAD_REQUEST',
      'GRAPHQL_VALIDATION_FAILED',
      'BAD_USER_INPUT',
      'GRAPHQL_VALIDATION_FAILED',
    ]);
    expect(logs.filter((l) => l.level >= ERROR)).toEqual([]);
    const text = JSON.stringify(logs);
    expect(text).not.toMatch(/\bat .*\.(js|ts):\d+/);
    expect(text).not.toContain('"stack"');
    expect(text).not.toContain('"err"');
    expect(text).not.toContain('pw-secret-in-log-1');
    expect(text).not.toContain('987654321987');
    expect(text).toContain('got invalid value [REDACTED]');
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { createServer as createHttpServer, type IncomingHttpHeaders, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { JobName, JobsService, PINO, type Logger } from '#core';
import { EgressResolverModule, type EgressResolver } from '#servers';
import { SIGNATURE_HEADER, verifySignature } from '#alerts';
import { WorkerModule } from '../../apps/worker/src/worker.module.js';
import { GraphQLClient, errorCode, type GraphQLResponse } from '../support/graphql-client.js';
import { createGroup, createKey, registerServer } from '../support/hub-fixtures.js';
import { startHub, type RunningHub } from '../support/hub-app.js';
import { hubTargetRows } from '../support/hub-targets.js';
import { connectStreamable } from '../support/mcp-clients.js';
import { startEverythingHttp, waitFor, type RunningUpstream } from '../support/upstreams.js';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  json: { id?: string; type?: string; data?: Record<string, unknown>; text?: string; blocks?: unknown[] };
  status: number;
}

interface Delivery {
  id: string;
  eventType: string;
  eventId: string;
  status: string;
  attempts: number;
  responseStatus: number | null;
  error: string | null;
  completedAt: string | null;
}

const DELIVERY_FIELDS = 'id eventType eventId summary status attempts responseStatus error createdAt lastAttemptAt completedAt';
/** Part of every webhook path: the path of a Slack or Teams URL is a credential, so it must not leak either. */
const PATH_TOKEN = 'T0KEN-in-the-path-7d1e';

/** Records every GraphQL answer it gets, so the spec can look for secrets in all of them. */
class RecordingClient extends GraphQLClient {
  constructor(
    url: string,
    private readonly answers: string[],
  ) {
    super(url);
  }
  override async request<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>> {
    const res = await super.request<T>(query, variables);
    this.answers.push(JSON.stringify(res));
    return res;
  }
}

/** Every log line the app writes from now on (what pino serialises, redaction applied), down to debug. */
function captureLogs(app: INestApplicationContext, into: string[]) {
  const logger = app.get<Logger>(PINO);
  logger.level = 'debug';
  (logger as unknown as Record<symbol, unknown>)[pino.symbols.streamSym] = new Writable({
    write(chunk, _enc, done) {
      into.push(String(chunk));
      done();
    },
  });
}

describe.each(hubTargetRows)('alerts: notification channels and webhook deliveries on %s', (_name, target) => {
  let hub: RunningHub;
  let worker: INestApplicationContext | undefined;
  let admin: GraphQLClient;
  let alice: RecordingClient;
  let bob: RecordingClient;
  let receiver: HttpServer;
  let forbidden: HttpServer;
  let refusing: TcpServer;
  let everything: RunningUpstream;
  let base: string;
  let forbiddenPort: number;
  let forbiddenConnections = 0;
  const received: Received[] = [];
  const answers: string[] = [];
  const logs: string[] = [];
  const secrets: string[] = [];
  const agents: Client[] = [];
  /** Paths that answer 500 to their first request. */
  const failFirst = new Set<string>();

  // 127.0.0.2 is not in UPSTREAM_ALLOWED_HOSTS (test config allows 127.0.0.1): members may not reach it.
  const resolver: EgressResolver = async (name) => {
    if (name === 'rebind.test') return [{ address: '127.0.0.2', family: 4 }];
    throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
  };

  const member = async (email: string) => {
    await admin.data('mutation($i: CreateUserInput!){ createUser(input: $i){ id } }', { i: { email, password: 'member-password-1' } });
    const client = new RecordingClient(hub.url, answers);
    await client.login(email, 'member-password-1');
    return client;
  };
  const createChannel = async (client: GraphQLClient, input: Record<string, unknown>) => {
    const { createNotificationChannel } = await client.data<{ createNotificationChannel: { secret: string; channel: { id: string; urlOrigin: string } } }>(
      'mutation($i: CreateNotificationChannelInput!){ createNotificationChannel(input: $i){ secret channel { id name urlOrigin events enabled format kind } } }',
      { i: input },
    );
    secrets.push(createNotificationChannel.secret);
    return { id: createNotificationChannel.channel.id, secret: createNotificationChannel.secret, channel: createNotificationChannel.channel };
  };
  const deliveries = async (client: GraphQLClient, channelId: string, first = 100) =>
    (
      await client.data<{ notificationDeliveries: { nodes: Delivery[] } }>(
        `query($c: ID!, $f: Int){ notificationDeliveries(channelId: $c, first: $f){ nodes { ${DELIVERY_FIELDS} } endCursor hasNextPage } }`,
        { c: channelId, f: first },
      )
    ).notificationDeliveries.nodes;
  const testChannel = async (client: GraphQLClient, id: string) =>
    (await client.data<{ testNotificationChannel: Delivery }>(`mutation($id: ID!){ testNotificationChannel(id: $id){ ${DELIVERY_FIELDS} } }`, { id })).testNotificationChannel;
  const finished = async (client: GraphQLClient, channelId: string, deliveryId: string) =>
    waitFor(
      async () => (await deliveries(client, channelId)).find((d) => d.id === deliveryId && d.completedAt),
      20_000,
      `delivery ${deliveryId} to finish`,
    );
  const at = (path: string) => received.filter((r) => r.path === `/${PATH_TOKEN}/${path}`);
  const url = (path: string) => `${base}/${PATH_TOKEN}/${path}`;

  beforeAll(async () => {
    receiver = createHttpServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c));
      req.on('end', () => {
        const path = req.url ?? '/';
        const status = failFirst.delete(path) ? 500 : 200;
        received.push({ path, headers: req.headers, body, json: JSON.parse(body), status });
        res.writeHead(status).end(status === 500 ? 'try again' : 'ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    forbidden = createHttpServer((_req, res) => res.end('should never be reached'));
    forbidden.on('connection', () => forbiddenConnections++);
    await new Promise<void>((resolve) => forbidden.listen(0, '127.0.0.2', resolve));
    forbiddenPort = (forbidden.address() as AddressInfo).port;
    // Accepts and drops connections: every health check of a server pointing here is DOWN, fast.
    refusing = createTcpServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
    everything = await startEverythingHttp('streamableHttp');

    hub = await startHub(
      target.database,
      { ...target.env, LOG_LEVEL: 'warn', ALERT_DELIVERY_ATTEMPTS: '3', ALERT_DELIVERY_BACKOFF_MS: '100', ALERT_DELIVERY_TIMEOUT_MS: '3000', ALERT_UPSTREAM_FAILURES: '3' },
      { egressResolver: resolver },
    );
    captureLogs(hub.app, logs);
    if (!target.inProcessJobs) {
      // Production shape: health checks and deliveries run in the worker, which shares the database and Redis.
      const moduleRef = await Test.createTestingModule({ imports: [WorkerModule.forRoot(hub.config), EgressResolverModule.forRoot(resolver)] }).compile();
      worker = await moduleRef.init();
      captureLogs(worker, logs);
    }
    admin = new GraphQLClient(hub.url);
    await admin.login('admin@example.com', 'admin-password-123');
    alice = await member('alice@example.com');
    bob = await member('bob@example.com');
  });

  afterAll(async () => {
    await Promise.all(agents.map((c) => c.close().catch(() => undefined)));
    await worker?.close();
    await hub?.close();
    await everything?.stop();
    for (const server of [receiver, forbidden]) server?.closeAllConnections();
    await Promise.all([receiver, forbidden, refusing].map((s) => new Promise((resolve) => (s ? s.close(resolve) : resolve(undefined)))));
  });

  it('should return the signing secret at creation only, and show the URL by its origin', async () => {
    const { id, secret, channel } = await createChannel(alice, { name: 'signed', url: url('signed'), events: ['SERVER_HEALTH_CHANGED'] });
    expect(secret).toMatch(/^whsec_/);
    expect(channel).toMatchObject({ urlOrigin: base, enabled: true, format: 'GENERIC', kind: 'WEBHOOK', events: ['SERVER_HEALTH_CHANGED'] });
    const { notificationChannels } = await alice.data<{ notificationChannels: { id: string; name: string }[] }>('{ notificationChannels { id name urlOrigin } }');
    expect(notificationChannels).toEqual([{ id, name: 'signed', urlOrigin: base }]);
    const updated = await alice.data<{ updateNotificationChannel: { name: string; enabled: boolean } }>(
      'mutation($id: ID!){ updateNotificationChannel(id: $id, input: { name: "signed-renamed", enabled: false }){ name enabled } }',
      { id },
    );
    expect(updated.updateNotificationChannel).toEqual({ name: 'signed-renamed', enabled: false });
    // The schema has no field that could carry it.
    const fields = await alice.data<{ __type: { fields: { name: string }[] } }>('{ __type(name: "NotificationChannel"){ fields { name } } }');
    expect(fields.__type.fields.map((f) => f.name).filter((n) => /secret|url$/i.test(n))).toEqual([]);
  });

  it('should sign a test delivery so that the receiver verifies it with the secret', async () => {
    const { id, secret } = await createChannel(alice, { name: 'verify', url: url('verify'), events: ['KEY_QUOTA_NEAR'] });
    const queued = await testChannel(alice, id);
    expect(queued).toMatchObject({ eventType: 'TEST', status: 'PENDING', attempts: 0 });
    const done = await finished(alice, id, queued.id);
    expect(done).toMatchObject({ status: 'SUCCEEDED', attempts: 1, responseStatus: 200, error: null });
    const [request] = at('verify');
    expect(request.json).toMatchObject({ id: queued.eventId, type: 'TEST' });
    expect(request.headers['x-hub-delivery']).toBe(queued.id);
    expect(verifySignature(secret, request.headers[SIGNATURE_HEADER] as string, request.body)).toBe(true);
    expect(verifySignature(secrets[0], request.headers[SIGNATURE_HEADER] as string, request.body)).toBe(false);
  });

  it('should retry a receiver that fails first: the log shows 2 attempts and success', async () => {
    const { id } = await createChannel(alice, { name: 'flaky', url: url('flaky'), events: ['KEY_QUOTA_NEAR'] });
    failFirst.add(`/${PATH_TOKEN}/flaky`);
    const queued = await testChannel(alice, id);
    const done = await finished(alice, id, queued.id);
    expect(done).toMatchObject({ status: 'SUCCEEDED', attempts: 2, responseStatus: 200, error: null });
    const requests = at('flaky');
    expect(requests.map((r) => r.status)).toEqual([500, 200]);
    // The same event both times: a receiver can deduplicate on its id.
    expect(new Set(requests.map((r) => r.json.id))).toEqual(new Set([queued.eventId]));
  });

  it("should send one delivery per health transition, to channels whose owner may see the server", async () => {
    const aliceHealth = await createChannel(alice, { name: 'alice-health', url: url('alice-health'), events: ['SERVER_HEALTH_CHANGED'] });
    const bobHealth = await createChannel(bob, { name: 'bob-health', url: url('bob-health'), events: ['SERVER_HEALTH_CHANGED'] });
    const deadUrl = `http://127.0.0.1:${(refusing.address() as AddressInfo).port}/mcp`;
    const server = await registerServer(alice, { name: 'alice-dead', transport: 'STREAMABLE_HTTP', url: deadUrl });
    const about = (path: string) => at(path).filter((r) => r.json.data?.serverId === server.id);
    await waitFor(() => about('alice-health').length > 0, 30_000, 'the DOWN transition at the receiver');
    expect(about('alice-health')[0].json).toMatchObject({ type: 'SERVER_HEALTH_CHANGED', data: { serverId: server.id, from: null, to: 'DOWN' } });

    // A second check finds it DOWN again: no transition, no delivery.
    await hub.app.get(JobsService).enqueue(JobName.HEALTH_CHECK, { serverId: server.id, replicaId: server.id });
    await waitFor(
      async () => (await alice.data<{ serverHealthHistory: unknown[] }>('query($s: ID!){ serverHealthHistory(serverId: $s){ status } }', { s: server.id })).serverHealthHistory.length >= 2,
      30_000,
      'a second health check',
    );
    // A round trip through the same queue and receiver before counting.
    await finished(alice, aliceHealth.id, (await testChannel(alice, aliceHealth.id)).id);
    expect(about('alice-health')).toHaveLength(1);
    expect((await deliveries(alice, aliceHealth.id)).filter((d) => d.eventType === 'SERVER_HEALTH_CHANGED')).toHaveLength(1);
    // Bob may not see Alice's server.
    expect(about('bob-health')).toHaveLength(0);
    expect(await deliveries(bob, bobHealth.id)).toEqual([]);
  });

  it('should send KEY_QUOTA_NEAR and KEY_QUOTA_EXCEEDED once each per window, not per call', async () => {
    const quota = await createChannel(alice, { name: 'quota', url: url('quota'), events: ['KEY_QUOTA_NEAR', 'KEY_QUOTA_EXCEEDED'] });
    const server = await registerServer(alice, { name: 'everything', transport: 'STREAMABLE_HTTP', url: everything.url });
    await createGroup(alice, 'alice-tools', [server.id]);
    const key = await createKey(alice, { name: 'ci', perDay: 5 });
    const agent = await connectStreamable(hub.url, 'alice-tools', key.secret);
    agents.push(agent);
    const outcomes: string[] = [];
    for (let i = 0; i < 8; i++) {
      await agent
        .callTool({ name: `${server.slug}__echo`, arguments: { message: `call ${i}` } })
        .then(() => outcomes.push('ok'))
        .catch(() => outcomes.push('refused'));
    }
    expect(outcomes).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'refused', 'refused', 'refused']);
    await waitFor(() => at('quota').length >= 2, 20_000, 'two quota notifications');
    await finished(alice, quota.id, (await testChannel(alice, quota.id)).id);
    const events = at('quota').filter((r) => r.json.type !== 'TEST');
    expect(events.map((r) => r.json.type).sort()).toEqual(['KEY_QUOTA_EXCEEDED', 'KEY_QUOTA_NEAR']);
    expect(events.find((r) => r.json.type === 'KEY_QUOTA_NEAR')!.json.data).toMatchObject({ keyId: key.id, keyName: 'ci', window: 'day', used: 4, limit: 5 });
    expect(events.find((r) => r.json.type === 'KEY_QUOTA_EXCEEDED')!.json.data).toMatchObject({ keyId: key.id, window: 'day', used: 5, limit: 5 });
  });

  it('should send one UPSTREAM_FAILURES notification when a server fails repeatedly within the window', async () => {
    const failures = await createChannel(alice, { name: 'failures', url: url('failures'), events: ['UPSTREAM_FAILURES'] });
    const flaky = await startEverythingHttp('streamableHttp');
    const server = await registerServer(alice, { name: 'goes-away', transport: 'STREAMABLE_HTTP', url: flaky.url });
    await createGroup(alice, 'goes-away-tools', [server.id]);
    const key = await createKey(alice, { name: 'unlimited' });
    const agent = await connectStreamable(hub.url, 'goes-away-tools', key.secret);
    agents.push(agent);
    await agent.callTool({ name: `${server.slug}__echo`, arguments: { message: 'still here' } });
    await flaky.stop();
    const errors: string[] = [];
    for (let i = 0; i < 6; i++) {
      await agent.callTool({ name: `${server.slug}__echo`, arguments: { message: 'gone' } }).catch((e: Error) => errors.push(e.message));
    }
    expect(errors).toHaveLength(6);
    await waitFor(() => at('failures').length > 0, 20_000, 'the failure notification');
    await finished(alice, failures.id, (await testChannel(alice, failures.id)).id);
    const bursts = at('failures').filter((r) => r.json.type === 'UPSTREAM_FAILURES');
    expect(bursts).toHaveLength(1);
    expect(bursts[0].json.data).toMatchObject({ serverId: server.id, serverSlug: server.slug, failures: 3, windowSeconds: 60 });
  });

  it('should send Slack incoming-webhook messages to a SLACK channel', async () => {
    const { id } = await createChannel(alice, { name: 'slack', url: url('slack'), format: 'SLACK', events: ['UPSTREAM_FAILURES'] });
    await finished(alice, id, (await testChannel(alice, id)).id);
    const [message] = at('slack');
    expect(message.json.text).toContain('Test notification');
    expect(message.json.blocks).toHaveLength(3);
    expect(await alice.data('mutation($id: ID!){ deleteNotificationChannel(id: $id) }', { id })).toEqual({ deleteNotificationChannel: true });
    const { notificationChannels } = await alice.data<{ notificationChannels: { id: string }[] }>('{ notificationChannels { id } }');
    expect(notificationChannels.map((c) => c.id)).not.toContain(id);
  });

  it("should answer NOT_FOUND for another member's channel id, and change nothing", async () => {
    const { id } = await createChannel(alice, { name: 'private', url: url('private'), events: ['KEY_QUOTA_NEAR'] });
    const attempts = [
      bob.request('mutation($id: ID!){ updateNotificationChannel(id: $id, input: { url: "http://127.0.0.1:9/x" }){ id } }', { id }),
      bob.request('mutation($id: ID!){ deleteNotificationChannel(id: $id) }', { id }),
      bob.request('mutation($id: ID!){ testNotificationChannel(id: $id){ id } }', { id }),
      bob.request('query($id: ID!){ notificationDeliveries(channelId: $id){ nodes { id } } }', { id }),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(errorCode(res)).toBe('NOT_FOUND');
      expect(res.data ?? null).toBeNull();
    }
    const { notificationChannels } = await bob.data<{ notificationChannels: { id: string }[] }>('{ notificationChannels { id } }');
    expect(notificationChannels.map((c) => c.id)).not.toContain(id);
    expect(await deliveries(alice, id)).toEqual([]);
    expect(at('private')).toEqual([]);
  });

  it("should refuse a member's webhook URL the egress policy forbids, before any connection", async () => {
    for (const forbiddenUrl of [`http://127.0.0.2:${forbiddenPort}/hook`, `http://localhost:${forbiddenPort}/hook`]) {
      const res = await bob.request('mutation($i: CreateNotificationChannelInput!){ createNotificationChannel(input: $i){ secret } }', {
        i: { name: 'internal', url: forbiddenUrl, events: ['KEY_QUOTA_NEAR'] },
      });
      expect(errorCode(res)).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0].message).toMatch(/^input\.url: destination not allowed by the hub's egress policy/);
    }
    // A name that resolves to a forbidden address passes the URL check; the delivery's lookup refuses it.
    const { id } = await createChannel(bob, { name: 'rebind', url: `http://rebind.test:${forbiddenPort}/hook`, events: ['KEY_QUOTA_NEAR'] });
    const done = await finished(bob, id, (await testChannel(bob, id)).id);
    expect(done).toMatchObject({ status: 'FAILED', attempts: 1, responseStatus: null, error: "destination not allowed by the hub's egress policy" });
    expect(forbiddenConnections).toBe(0);
  });

  it('should page the delivery log newest first with a cursor', async () => {
    const { id } = await createChannel(bob, { name: 'paged', url: url('paged'), events: ['KEY_QUOTA_NEAR'] });
    const queued = [];
    for (let i = 0; i < 3; i++) queued.push((await testChannel(bob, id)).id);
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 3; page++) {
      const { notificationDeliveries }: { notificationDeliveries: { nodes: { id: string }[]; endCursor: string; hasNextPage: boolean } } = await bob.data(
        'query($c: ID!, $a: String){ notificationDeliveries(channelId: $c, first: 1, after: $a){ nodes { id } endCursor hasNextPage } }',
        { c: id, a: after },
      );
      seen.push(...notificationDeliveries.nodes.map((n) => n.id));
      expect(notificationDeliveries.hasNextPage).toBe(page < 2);
      after = notificationDeliveries.endCursor;
    }
    expect(seen).toEqual([...queued].reverse());
    const bad = await bob.request('query($c: ID!){ notificationDeliveries(channelId: $c, after: "nope"){ nodes { id } } }', { c: id });
    expect(errorCode(bad)).toBe('BAD_USER_INPUT');
    const tooMany = await bob.request('query($c: ID!){ notificationDeliveries(channelId: $c, first: 101){ nodes { id } } }', { c: id });
    expect(errorCode(tooMany)).toBe('BAD_USER_INPUT');
  });

  it('should never put a signing secret or a webhook path in a GraphQL answer after creation, nor in the logs', () => {
    expect(secrets.length).toBeGreaterThan(5);
    expect(logs.length).toBeGreaterThan(0);
    const creations = answers.filter((a) => a.includes('"createNotificationChannel"'));
    const others = answers.filter((a) => !a.includes('"createNotificationChannel"'));
    expect(others.length).toBeGreaterThan(20);
    for (const secret of secrets) {
      expect(creations.filter((a) => a.includes(secret))).toHaveLength(1);
      expect(others.filter((a) => a.includes(secret))).toEqual([]);
      expect(logs.filter((l) => l.includes(secret))).toEqual([]);
    }
    expect(answers.filter((a) => a.includes(PATH_TOKEN))).toEqual([]);
    expect(logs.filter((l) => l.includes(PATH_TOKEN))).toEqual([]);
    // The logs did record the deliveries (so the absence above means something).
    expect(logs.some((l) => l.includes('alert delivery failed'))).toBe(true);
  });
});

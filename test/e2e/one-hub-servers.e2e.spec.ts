import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import type { Server } from 'node:http';
import { CreateMessageRequestSchema, LoggingMessageNotificationSchema, ResourceUpdatedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { SessionRegistry, UpstreamPool } from '#mcp-gateway';
import { SessionBus } from '../../libs/mcp-gateway/src/session/session-bus.js';
import { GraphQLClient } from '../support/graphql-client.js';
import { startHub, startPeerHub, type RunningHub } from '../support/hub-app.js';
import { addTeamMember, createGroup, createKey, createPerson, createTeam, registerServer, share } from '../support/hub-fixtures.js';
import { hubTargets } from '../support/hub-targets.js';
import { connectStreamable } from '../support/mcp-clients.js';
import { scrape } from '../support/metrics-scrape.js';
import { startRoundRobinProxy, type RoundRobinProxy } from '../support/round-robin-proxy.js';
import { everythingStdio, waitFor } from '../support/upstreams.js';

type ToolResult = { content: { type: string; text?: string }[] };
const text = (r: unknown) => (r as ToolResult).content.map((c) => c.text ?? '').join('');
const counted = (r: unknown) => JSON.parse(text(r)) as { pid: number; count: number };
const target = hubTargets.find((t) => t.name === 'postgres+redis');
/** A real SDK client whose POSTs go to one hub and whose GET stream goes to another. */
async function connectSplit(postsTo: string, streamTo: string, apiKey: string): Promise<Client> {
  const client = new Client({ name: 'e2e-split-agent', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(`${postsTo}/mcp/main`), {
    requestInit: { headers: { authorization: `Bearer ${apiKey}` } },
    fetch: (url, init) => fetch(init?.method === 'GET' ? String(url).replace(postsTo, streamTo) : url, init),
  });
  await client.connect(transport);
  return client;
}
const ANNOUNCER = { command: process.execPath, args: [new URL('../support/token-reporting-server.mjs', import.meta.url).pathname] };
const COUNTER = { command: process.execPath, args: [new URL('../support/counting-stdio-server.mjs', import.meta.url).pathname] };

/**
 * ONE_HUB servers behind three hubs and a plain round-robin balancer: one process serves the whole cluster, the
 * other hubs forward to the hub running it (progress and sampling included), and when that hub dies another takes
 * the process over. Only with PostgreSQL + Redis (embedded mode is one hub).
 */
(target ? describe : describe.skip)('ONE_HUB servers across hubs', () => {
  let hub: RunningHub;
  const peers: { app: INestApplication; url: string }[] = [];
  let proxy: RoundRobinProxy;
  let secret: string;
  let admin: GraphQLClient;
  let counter: { id: string };
  let everything: { id: string };
  const apps = () => [hub.app, ...peers.map((p) => p.app)];
  const clients: { close(): Promise<void> }[] = [];
  const track = <T extends { close(): Promise<void> }>(client: T) => (clients.push(client), client);
  /** The hubs running the server's process (a pid), by index. */
  const runners = (serverId: string) =>
    apps()
      .map((app, i) => ({ i, status: app.get(UpstreamPool).status(app.get(UpstreamPool).server(serverId)!.replicas[0].id) }))
      .filter((h) => h.status?.pid)
      .map((h) => h.i);

  const place = async (placement: string) => {
    await admin.data('mutation($s: ID!, $p: ConnectionPlacement!){ updateServerBalancing(serverId: $s, input: { connectionPlacement: $p }){ id } }', { s: counter.id, p: placement });
    await waitFor(() => apps().every((app) => app.get(UpstreamPool).server(counter.id)?.connectionPlacement === placement), 10_000, `${placement} on every hub`);
  };

  beforeAll(async () => {
    hub = await startHub(target!.database, target!.env);
    admin = new GraphQLClient(hub.url);
    await admin.login('admin@example.com', 'admin-password-123');
    counter = await registerServer(admin, { name: 'counter', transport: 'STDIO', ...COUNTER });
    everything = await registerServer(admin, { name: 'everything', transport: 'STDIO', ...everythingStdio() });
    const announcer = await registerServer(admin, { name: 'announcer', transport: 'STDIO', ...ANNOUNCER });
    await createGroup(admin, 'main', [counter.id, everything.id, announcer.id]);
    secret = (await createKey(admin)).secret;
    // stdio servers run on one hub unless told otherwise.
    const { server } = await admin.data<{ server: { connectionPlacement: string } }>('query($id: ID!){ server(id: $id){ connectionPlacement } }', { id: counter.id });
    expect(server.connectionPlacement).toBe('ONE_HUB');
    for (let i = 0; i < 2; i++) peers.push(await startPeerHub(hub));
    proxy = await startRoundRobinProxy([hub.url, ...peers.map((p) => p.url)]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await proxy?.close();
    await Promise.all(peers.map((p) => p.app.close().catch(() => undefined)));
    await hub?.close();
  }, 60_000);

  it('should serve every hub\'s calls from one process', async () => {
    // The hub that first needs it runs it: here the second peer.
    const first = track(await connectStreamable(peers[1].url, 'main', secret));
    const start = counted(await first.callTool({ name: 'counter__next', arguments: {} }));
    const agent = track(await connectStreamable(proxy.url, 'main', secret));
    const seen = [];
    for (let i = 0; i < 9; i++) seen.push(counted(await agent.callTool({ name: 'counter__next', arguments: {} })));
    expect(seen.map((s) => s.pid)).toEqual(Array(9).fill(start.pid));
    expect(seen.map((s) => s.count)).toEqual(Array.from({ length: 9 }, (_, i) => start.count + 1 + i));
    expect(runners(counter.id)).toEqual([2]);
    const metricsOf = async (url: string) => (await scrape(url)).body;
    expect(await metricsOf(hub.url)).toContain('mcphub_upstream_forwarded{server="counter",replica="primary"} 1');
    expect(await metricsOf(peers[1].url)).toContain('mcphub_stdio_processes{server="counter"} 1');
    expect(await metricsOf(peers[1].url)).not.toContain('mcphub_upstream_forwarded{server="counter"');
    // The hub the admin API landed on forwards; restarting it there restarts the process where it runs.
    const runtime = await admin.data<{ server: { runtime: { connected: boolean; forwarded: boolean }[] } }>('query($id: ID!){ server(id: $id){ runtime { connected forwarded } } }', { id: counter.id });
    expect(runtime.server.runtime).toEqual([{ connected: true, forwarded: true }]);
    await admin.data('mutation($id: ID!){ restartServer(id: $id){ id } }', { id: counter.id });
    const restarted = counted(await agent.callTool({ name: 'counter__peek', arguments: {} }));
    expect(restarted.pid).not.toBe(start.pid);
    expect(restarted.count).toBe(0);
    expect(runners(counter.id)).toEqual([2]);
  }, 60_000);

  it('should bring progress of a forwarded call to the agent', async () => {
    const agent = track(await connectStreamable(proxy.url, 'main', secret));
    for (let i = 0; i < 3; i++) {
      const progress: number[] = [];
      const result = await agent.callTool({ name: 'everything__trigger-long-running-operation', arguments: { duration: 1, steps: 2 } }, undefined, {
        onprogress: (p) => void progress.push(p.progress),
      });
      expect(text(result)).toContain('completed');
      expect(progress).toEqual([1, 2]);
    }
    expect(runners(everything.id)).toHaveLength(1);
  }, 60_000);

  it('should relay sampling asked during a forwarded call to the agent that made it', async () => {
    const agent = track(await connectStreamable(proxy.url, 'main', secret, { capabilities: { sampling: {} } }));
    agent.setRequestHandler(CreateMessageRequestSchema, async () => ({ model: 'agent-model', role: 'assistant', content: { type: 'text', text: 'sampled by the agent' } }));
    for (let i = 0; i < 3; i++) {
      const result = await agent.callTool({ name: 'everything__trigger-sampling-request', arguments: { prompt: `hello ${i}`, maxTokens: 20 } });
      expect(text(result)).toContain('sampled by the agent');
    }
    expect(runners(everything.id)).toHaveLength(1);
  }, 60_000);

  it('should tell the agent when the server withdraws a question it asked during a forwarded call', async () => {
    const agent = track(await connectStreamable(proxy.url, 'main', secret, { capabilities: { sampling: {} } }));
    let withdrawn = 0;
    // The agent never answers: only the server's notifications/cancelled, relayed, ends the handler.
    agent.setRequestHandler(CreateMessageRequestSchema, (_request, extra) => new Promise((_resolve, reject) => {
      extra.signal.addEventListener('abort', () => {
        withdrawn++;
        reject(new Error('withdrawn'));
      });
    }));
    // Three calls land on the three hubs in turn: two are forwarded to the hub running the process.
    for (let i = 1; i <= 3; i++) {
      const result = await agent.callTool({ name: 'counter__ask-then-withdraw', arguments: { withdrawAfterMs: 300 } });
      expect(JSON.parse(text(result)).outcome).toBe('withdrawn');
      await waitFor(() => withdrawn >= i, 5_000, `the agent told of withdrawal ${i}`);
    }
    expect(runners(counter.id)).toHaveLength(1);
  }, 60_000);

  it('should tell an agent a ONE_HUB server\'s log message once, whichever hubs hold its session and stream', async () => {
    const agent = track(await connectStreamable(proxy.url, 'main', secret));
    let heard = 0;
    agent.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
      if (String(n.params.data).startsWith('hello from')) heard++;
    });
    // Five calls land on the three hubs in turn; the owner shares each message with every hub, and only the hub
    // holding the agent's stream (or, without one, the call) sends it on.
    for (let i = 1; i <= 5; i++) {
      await agent.callTool({ name: 'announcer__announce', arguments: {} });
      await waitFor(() => heard >= i, 10_000, `log message ${i}`);
    }
    expect(heard).toBe(5);
  }, 60_000);

  it('should tell an agent a ONE_HUB server\'s messages once when the hub of its calls missed where its stream is', async () => {
    // The agent's POSTs go to one hub, its GET stream to another. The first hub misses the news of the stream, as
    // when a pub/sub message is lost (or still on its way): its handler is swapped for one that drops it.
    const [calls, streams] = peers;
    const bus = calls.app.get(SessionBus);
    const handlers = (bus as unknown as { handlers: Map<string, (message: unknown) => void> }).handlers;
    const streamOpened = handlers.get('stream-opened')!;
    bus.on('stream-opened', () => undefined);
    try {
      const agent = track(await connectSplit(calls.url, streams.url, secret));
      const sessionId = (agent.transport as StreamableHTTPClientTransport).sessionId!;
      await waitFor(() => !!streams.app.get(SessionRegistry).get(sessionId)?.standalone?.open, 10_000, 'the agent\'s stream on the second hub');
      expect(calls.app.get(SessionRegistry).get(sessionId)?.standalone).toBeUndefined();
      let heard = 0;
      agent.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
        if (String(n.params.data).startsWith('hello from')) heard++;
      });
      // During a call: the hub of the call tells the agent (the holder names it), not also the hub of its stream.
      for (let i = 1; i <= 3; i++) {
        await agent.callTool({ name: 'announcer__announce', arguments: {} });
        await waitFor(() => heard >= i, 10_000, `log message ${i}`);
      }
      // After the call: nobody is calling, so the hub holding the stream tells the agent.
      await agent.callTool({ name: 'announcer__announce-later', arguments: { afterMs: 100 } });
      await waitFor(() => heard >= 4, 10_000, 'the log message sent after the call');
      await agent.callTool({ name: 'announcer__announce', arguments: {} });
      await waitFor(() => heard >= 5, 10_000, 'log message 5');
      expect(heard).toBe(5);
      // A resource update goes from the hub where the agent subscribed, which must find the agent's stream itself
      // when no call is left to carry it.
      let updated = 0;
      agent.setNotificationHandler(ResourceUpdatedNotificationSchema, () => void updated++);
      const { resources } = await agent.listResources();
      await agent.subscribeResource({ uri: resources.find((r) => r.name.includes('self'))!.uri });
      const before = updated; // (the server's answer to a subscribe is an update at once)
      await agent.callTool({ name: 'announcer__touch-later', arguments: { afterMs: 100 } });
      await waitFor(() => updated === before + 1, 10_000, 'the resource update on the agent\'s stream');
    } finally {
      bus.on('stream-opened', streamOpened);
    }
  }, 60_000);

  it('should run each person\'s process of a PER_USER ONE_HUB server on one hub, filled with their own credentials', async () => {
    const tokens = await registerServer(admin, {
      name: 'tokens',
      transport: 'STDIO',
      ...ANNOUNCER,
      env: [{ name: 'SERVICE_TOKEN', value: '${SERVICE_TOKEN}' }],
      credentialScope: 'PER_USER',
    });
    const group = await createGroup(admin, 'tokens', [tokens.id], 'NONE');
    const team = await createTeam(admin, 'everyone');
    const people = await Promise.all(['alice', 'bob'].map((n) => createPerson(admin, hub.url, `${n}@example.com`)));
    for (const person of people) await addTeamMember(admin, team.id, person.userId);
    await share(admin, 'Group', group.id, team.id, 'VIEWER');
    await share(admin, 'Server', tokens.id, team.id, 'VIEWER');
    const seen = await Promise.all(
      people.map(async (person, n) => {
        await person.data('mutation($i: SetCredentialInput!){ setCredential(input: $i){ id } }', { i: { name: 'SERVICE_TOKEN', value: `token-${n}` } });
        const agent = track(await connectStreamable(proxy.url, 'tokens', (await createKey(person)).secret));
        const answers = [];
        for (let i = 0; i < 6; i++) answers.push(JSON.parse(text(await agent.callTool({ name: 'whoami', arguments: {} }))) as { token: string; pid: number });
        return answers;
      }),
    );
    seen.forEach((answers, n) => {
      expect(new Set(answers.map((a) => a.token))).toEqual(new Set([`token-${n}`]));
      expect(new Set(answers.map((a) => a.pid)).size).toBe(1);
    });
    expect(seen[0][0].pid).not.toBe(seen[1][0].pid);
    expect(runners(tokens.id)).toHaveLength(1);
  }, 60_000);

  it('should switch a server between ONE_HUB and EVERY_HUB without a restart', async () => {
    const agents = await Promise.all([hub.url, ...peers.map((p) => p.url)].map((url) => connectStreamable(url, 'main', secret)));
    agents.forEach(track);
    // One call on each hub, the second peer's first: it is the one to claim the server (the last test kills it).
    const pidsOnEachHub = async () => {
      const pids = new Set<number>();
      for (const agent of [agents[2], agents[0], agents[1]]) pids.add(counted(await agent.callTool({ name: 'counter__peek', arguments: {} })).pid);
      return pids;
    };
    await place('EVERY_HUB');
    expect((await pidsOnEachHub()).size).toBe(3);
    expect(runners(counter.id)).toHaveLength(3);
    await place('ONE_HUB');
    expect((await pidsOnEachHub()).size).toBe(1);
    expect(runners(counter.id)).toEqual([2]);
  }, 60_000);

  it('should move the process to another hub when its hub dies under load, read-only calls failing over with 0 failures', async () => {
    // The counter runs, afresh, on the second peer: the hub this test kills.
    await place('EVERY_HUB');
    await place('ONE_HUB');
    await track(await connectStreamable(peers[1].url, 'main', secret)).callTool({ name: 'counter__peek', arguments: {} });
    expect(runners(counter.id)).toEqual([2]);
    const agents = await Promise.all(Array.from({ length: 6 }, () => connectStreamable(proxy.url, 'main', secret)));
    agents.forEach(track);
    const before = counted(await agents[0].callTool({ name: 'counter__peek', arguments: {} }));
    const pids = new Set<number>();
    const failures: string[] = [];
    let calls = 0;
    const load = agents.map(async (agent, n) => {
      for (let i = 0; i < 30; i++) {
        try {
          pids.add(counted(await agent.callTool({ name: 'counter__peek', arguments: {} })).pid);
        } catch (error) {
          failures.push(`${n}/${i}: ${(error as Error).message}`);
        }
        calls++;
      }
    });
    const victim = peers[1];
    // A slow read-only call from the first hub, waiting on the victim's process when it stops: sent again elsewhere.
    const direct = track(await connectStreamable(hub.url, 'main', secret));
    let slow: Promise<{ pid: number; count: number }> | undefined;
    const kill = (async () => {
      while (calls < 40) await new Promise((resolve) => setImmediate(resolve));
      slow = direct.callTool({ name: 'counter__peek', arguments: { delayMs: 1_500 } }).then(counted);
      await waitFor(() => [...hub.app.get(SessionRegistry).all()].some((s) => [...s.inflight.values()].some((c) => c.upstreamId !== undefined)), 10_000, 'the slow call forwarded');
      (victim.app.getHttpServer() as Server).closeAllConnections();
      await victim.app.close();
    })();
    await Promise.all([...load, kill]);
    peers.splice(1, 1);
    expect(failures).toEqual([]);
    expect((await slow!).pid).not.toBe(before.pid);
    expect(calls).toBe(180);
    // The process died with its hub (its count with it): one of the others runs a new one.
    const after = counted(await agents[0].callTool({ name: 'counter__peek', arguments: {} }));
    expect(after.pid).not.toBe(before.pid);
    expect(after.count).toBe(0);
    expect(pids).toEqual(new Set([before.pid, after.pid]));
    expect(runners(counter.id)).toHaveLength(1);
  }, 120_000);

  it('should end a forwarded call within seconds when the hub running the server dies without a word, saying why', async () => {
    // Last: the holder is silenced, not closed (its process may be the spec's main hub).
    await track(await connectStreamable(peers[0].url, 'main', secret)).callTool({ name: 'counter__peek', arguments: {} });
    const holder = runners(counter.id)[0];
    const from = apps().findIndex((_, i) => i !== holder);
    const url = [hub.url, ...peers.map((p) => p.url)][from];
    const agent = track(await connectStreamable(url, 'main', secret));
    const started = Date.now();
    // Counting is not safe to send again: the agent is told, not left waiting for the 20 s the call would take.
    const call = agent.callTool({ name: 'counter__next', arguments: { delayMs: 20_000 } }).then(
      (r) => text(r),
      (error: Error) => error.message,
    );
    const sessions = apps()[from].get(SessionRegistry);
    await waitFor(() => [...sessions.all()].some((s) => [...s.inflight.values()].some((c) => c.upstreamId !== undefined)), 10_000, 'the call forwarded');
    // Killed with no goodbye: its channel loses its subscriber; its lease still stands.
    await apps()[holder].get(SessionBus).onApplicationShutdown();
    expect(await call).toMatch(/is run by another hub that is gone.*not retried/);
    expect(Date.now() - started).toBeLessThan(10_000);
  }, 30_000);
});

// The load test's agents: 2025-era Streamable HTTP sessions spoken in raw HTTP over one undici Agent (keep-alive).
// Not the SDK Client: a thousand of them (a transport, fetch wrappers and zod parsing of every message each) would
// compete with the hub for the same 2 cores; raw requests keep the generator's share small (reported with the run).
// Each session does what the SDK client does (initialize, notifications/initialized, the GET event stream, DELETE at
// the end) and then alternates think time with tools/list or tools/call.
import { Agent, request, type Dispatcher } from 'undici';

export type Method = 'initialize' | 'tools/list' | 'tools/call';

export interface AgentPlan {
  url: string;
  apiKeys: string[];
  sessionsPerKey: number;
  tools: string[];
  /** Share of the requests that are tools/list (the rest are tools/call). */
  listShare: number;
  thinkMs: [number, number];
  /** Sessions are opened over this long, so the ramp does not measure a thundering herd of initializes. */
  rampMs: number;
  durationMs: number;
  /** Open the GET event stream like the SDK client does. */
  eventStreams: boolean;
}

export interface AgentResults {
  latenciesMs: Record<Method, number[]>;
  errors: Map<string, number>;
  /** Sessions that completed initialize. */
  opened: number;
  /** Requests answered inside the measured window (after every session was opened). */
  measuredRequests: number;
  measuredSeconds: number;
  /** Latencies of the window's requests by the second they started in: shows a warm-up or a backlog building. */
  perSecondMs: number[][];
}

const PROTOCOL_VERSION = '2025-11-25';
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

class RpcFailure extends Error {}

/** One agent's session against the hub (the memory bench opens idle ones with it too). */
export class AgentSession {
  private sessionId?: string;
  private nextId = 1;
  private stream?: Dispatcher.ResponseData;

  constructor(
    private readonly plan: Pick<AgentPlan, 'url' | 'eventStreams'>,
    private readonly apiKey: string,
    private readonly dispatcher: Agent,
  ) {}

  private headers(): Record<string, string> {
    return {
      authorization: `Bearer ${this.apiKey}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...(this.sessionId ? { 'mcp-session-id': this.sessionId, 'mcp-protocol-version': PROTOCOL_VERSION } : {}),
    };
  }

  /** Sends a JSON-RPC request; resolves with its result, throws RpcFailure with a kind for the error table. */
  async call(method: string, params: Record<string, unknown>): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    const res = await request(this.plan.url, {
      method: 'POST',
      dispatcher: this.dispatcher,
      headers: this.headers(),
      body: JSON.stringify({ jsonrpc: '2.0', id, method, params }),
    }).catch((error: NodeJS.ErrnoException) => {
      throw new RpcFailure(`network ${error.code ?? error.name}`);
    });
    const text = await res.body.text();
    if (method === 'initialize') this.sessionId = String(res.headers['mcp-session-id'] ?? '');
    const message = parseResponse(text, String(res.headers['content-type'] ?? ''), id);
    if (message?.error) throw new RpcFailure(`HTTP ${res.statusCode} JSON-RPC ${message.error.code}: ${message.error.message.slice(0, 120)}`);
    if (res.statusCode !== 200 || !message?.result) throw new RpcFailure(`HTTP ${res.statusCode}: ${text.slice(0, 120)}`);
    return message.result;
  }

  async open(): Promise<void> {
    await this.call('initialize', { protocolVersion: PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'loadtest-agent', version: '1.0.0' } });
    const res = await request(this.plan.url, {
      method: 'POST',
      dispatcher: this.dispatcher,
      headers: this.headers(),
      body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
    });
    await res.body.dump();
    if (res.statusCode !== 202) throw new RpcFailure(`notifications/initialized: HTTP ${res.statusCode}`);
    if (this.plan.eventStreams) {
      const stream = await request(this.plan.url, { method: 'GET', dispatcher: this.dispatcher, headers: { ...this.headers(), accept: 'text/event-stream' } });
      if (stream.statusCode !== 200) throw new RpcFailure(`GET event stream: HTTP ${stream.statusCode}`);
      stream.body.on('data', () => undefined); // keep-alive comments; nothing is pushed to these agents
      stream.body.on('error', () => undefined); // ended by close()
      this.stream = stream;
    }
  }

  async close(): Promise<void> {
    if (this.sessionId) {
      const res = await request(this.plan.url, { method: 'DELETE', dispatcher: this.dispatcher, headers: this.headers() }).catch(() => undefined);
      await res?.body.dump();
    }
    this.stream?.body.destroy();
  }
}

function parseResponse(text: string, contentType: string, id: number): { result?: Record<string, unknown>; error?: { code: number; message: string } } | undefined {
  try {
    if (!contentType.includes('text/event-stream')) return JSON.parse(text);
    // The hub streams only when it has something to send before the result: the result is the event with our id.
    for (const line of text.split('\n')) {
      if (!line.startsWith('data:')) continue;
      const message = JSON.parse(line.slice(5));
      if (message.id === id) return message;
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/**
 * Opens `apiKeys.length × sessionsPerKey` sessions over `rampMs`; each loops think → request from its opening until
 * the measured window (`durationMs`, starting once all are open) ends. Latencies count only inside the window, except
 * initialize's, which are all from the ramp; errors count throughout.
 */
export async function runAgents(plan: AgentPlan, onWindowStart: () => void): Promise<AgentResults> {
  const dispatcher = new Agent({ keepAliveTimeout: 30_000, connections: null, pipelining: 1 });
  const results: AgentResults = {
    latenciesMs: { initialize: [], 'tools/list': [], 'tools/call': [] },
    errors: new Map(),
    opened: 0,
    measuredRequests: 0,
    measuredSeconds: 0,
    perSecondMs: [],
  };
  const fail = (kind: string) => results.errors.set(kind, (results.errors.get(kind) ?? 0) + 1);
  const sessions = plan.apiKeys.flatMap((key) => Array.from({ length: plan.sessionsPerKey }, () => new AgentSession(plan, key, dispatcher)));
  const think = () => plan.thinkMs[0] + Math.random() * (plan.thinkMs[1] - plan.thinkMs[0]);

  let windowStart = Infinity;
  let windowEnd = Infinity;
  const timed = async (method: Method, run: () => Promise<unknown>): Promise<boolean> => {
    const started = performance.now();
    try {
      await run();
      const ms = performance.now() - started;
      if (method === 'initialize') results.latenciesMs[method].push(ms);
      else if (started >= windowStart && started < windowEnd) {
        results.latenciesMs[method].push(ms);
        (results.perSecondMs[Math.floor((started - windowStart) / 1000)] ??= []).push(ms);
      }
      return true;
    } catch (error) {
      fail(`${method}: ${error instanceof RpcFailure ? error.message : String(error)}`);
      return false;
    }
  };

  // Upstreams start on first use: warm them (and the tool catalogs) up outside the measurement, as on a hub that has
  // been serving for a while.
  const warm = new AgentSession(plan, plan.apiKeys[0], dispatcher);
  await warm.open();
  await warm.call('tools/list', {});
  for (const name of plan.tools) await warm.call('tools/call', { name, arguments: { message: 'warm' } });
  await warm.close();

  // Each session starts its loop as soon as it is open, so the window (from the moment all are open) measures a
  // steady state rather than a herd of sessions making their first request together. A session that failed to open
  // is counted as an error and sits the run out.
  let toolIndex = 0;
  let opened = 0;
  const settled = () => {
    if (++opened === sessions.length) {
      windowStart = performance.now();
      windowEnd = windowStart + plan.durationMs;
      onWindowStart();
    }
  };
  await Promise.all(
    sessions.map(async (session, i) => {
      await sleep((i / sessions.length) * plan.rampMs);
      const ok = await timed('initialize', () => session.open());
      if (ok) results.opened++;
      settled();
      if (!ok) return;
      await sleep(Math.random() * think()); // desynchronise the sessions
      while (performance.now() < windowEnd) {
        if (Math.random() < plan.listShare) {
          await timed('tools/list', () => session.call('tools/list', {}));
        } else {
          const name = plan.tools[toolIndex++ % plan.tools.length];
          await timed('tools/call', async () => {
            const result = await session.call('tools/call', { name, arguments: { message: 'load' } });
            if (result.isError) throw new RpcFailure(`tool error from ${name}`);
          });
        }
        await sleep(think());
      }
    }),
  );
  results.measuredSeconds = (Math.min(performance.now(), windowEnd) - windowStart) / 1000;
  results.measuredRequests = results.latenciesMs['tools/list'].length + results.latenciesMs['tools/call'].length;
  await Promise.all(sessions.map((s) => s.close()));
  await dispatcher.close();
  return results;
}

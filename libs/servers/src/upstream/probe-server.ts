import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { CreateMessageRequestSchema, ElicitRequestSchema, ErrorCode, ListRootsRequestSchema, McpError } from '@modelcontextprotocol/sdk/types.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { FetchLike, Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ShuttingDownError } from '#core';
import type { EgressGuard } from '../egress/egress-guard.js';
import { HUB_CLIENT_CAPABILITIES } from './client-capabilities.js';
import { AuthorizationChallengeError, watchChallenges } from './authorization-challenge.js';
import { createUpstreamTransport, explainedFetch } from './create-upstream-transport.js';
import { STATELESS_PROBE_VERSION, probeStateless } from './stateless-probe.js';
import type { UpstreamTransportConfig } from './upstream-transport-config.js';

/** What a server offered when last probed: names for display, not the full definitions (the gateway lists live). */
export interface CapabilitiesSnapshot {
  tools: { name: string; description: string | null }[];
  resources: { uri: string; name: string }[];
  resourceTemplates: { uriTemplate: string; name: string }[];
  prompts: { name: string; description: string | null }[];
  serverInfo: { name: string; version: string } | null;
  protocolVersion: string | null;
}

export interface ProbeOptions {
  /**
   * Declare the gateway's client capabilities, so the server offers what agents will get (discovery). Health checks
   * only need an answer: without them, server-everything's extra start-up exchanges pushed its checks past the
   * DEGRADED latency threshold.
   */
  asGateway?: boolean;
  /** Gives up when this aborts (the process shutting down), stopping a stdio child like a timeout does. */
  signal?: AbortSignal;
}

export const PROBE_CLIENT_INFO = { name: 'mcp-hub', version: '0.1.0' };
// A server that keeps handing out cursors must not keep the probe busy forever.
const MAX_PAGES = 100;
/** Longer than the SDK's own close sequence (2 s after stdin end, then SIGTERM, 2 s, then SIGKILL). */
const CHILD_EXIT_GRACE_MS = 5_000;

/**
 * Connects, lists everything the server advertises (following cursors) and disconnects. Always closes the client,
 * which for stdio stops the child, also on error and timeout. Throws an Error with a readable message on failure;
 * with `egress`, refuses destinations the owner may not reach before connecting, and the message is the one the
 * owner may see (details in `cause`). A server that answered with an OAuth challenge throws
 * AuthorizationChallengeError (for anyone to see: it says nothing about the network).
 */
export async function probeServer(
  config: UpstreamTransportConfig,
  timeoutMs = 15_000,
  egress?: EgressGuard,
  { asGateway = true, signal }: ProbeOptions = {},
): Promise<CapabilitiesSnapshot> {
  if (signal?.aborted) throw new ShuttingDownError();
  try {
    egress?.assertAllowed(config);
  } catch (error) {
    throw egress!.visibleError(config, error);
  }
  const watched = config.type === 'stdio' ? undefined : watchChallenges(egress?.fetch(config) ?? explainedFetch);
  if (config.type === 'streamable-http') {
    const modern = await probeModern(config, timeoutMs, egress, asGateway, watched!.fetch, signal);
    if (modern) return modern;
  }
  const transport = createUpstreamTransport(config, { egress, fetch: watched?.fetch });
  const stderrTail = captureStderr(transport);
  const childExited = watchChildExit(transport);
  let protocolVersion: string | null = null;
  // Client.connect hands the negotiated version to transports that want it; the hook learns it for every transport.
  const setProtocolVersion = transport.setProtocolVersion?.bind(transport);
  transport.setProtocolVersion = (version: string) => {
    protocolVersion = version;
    setProtocolVersion?.(version);
  };
  const client = new Client(PROBE_CLIENT_INFO, { capabilities: asGateway ? HUB_CLIENT_CAPABILITIES : {} });
  if (asGateway) answerServerRequests(client);
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let stopped = () => {};
  const deadline = new Promise<never>((_, reject) => {
    const giveUp = (error: Error) => {
      abort.abort();
      reject(error);
    };
    timer = setTimeout(() => giveUp(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
    stopped = () => giveUp(new ShuttingDownError());
    signal?.addEventListener('abort', stopped, { once: true });
  });
  try {
    const found = await Promise.race([discover(client, transport, { signal: abort.signal, timeout: timeoutMs }), deadline]);
    return { ...found, protocolVersion };
  } catch (error) {
    if (watched?.challenged()) throw new AuthorizationChallengeError();
    const tail = stderrTail();
    const detailed = new Error(`${describeError(error)}${tail ? ` (stderr: ${tail})` : ''}`, { cause: error });
    throw egress ? egress.visibleError(config, detailed) : detailed;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', stopped);
    await client.close().catch(() => undefined);
    await transport.close().catch(() => undefined);
    await childExited();
  }
}

/** A 2026-07-28 server's snapshot, or null when it does not serve that revision (then the 2025 handshake runs). */
async function probeModern(
  config: Extract<UpstreamTransportConfig, { type: 'streamable-http' }>,
  timeoutMs: number,
  egress: EgressGuard | undefined,
  asGateway: boolean,
  fetch: FetchLike,
  signal: AbortSignal | undefined,
): Promise<CapabilitiesSnapshot | null> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
  const stopped = () => abort.abort(new ShuttingDownError());
  signal?.addEventListener('abort', stopped, { once: true });
  try {
    const found = await probeStateless(config.url, config.headers, fetch, abort.signal, PROBE_CLIENT_INFO, asGateway);
    return found && { ...found, protocolVersion: STATELESS_PROBE_VERSION };
  } catch (error) {
    const detailed = new Error(describeError(abort.signal.aborted ? abort.signal.reason : error), { cause: error });
    throw egress ? egress.visibleError(config, detailed) : detailed;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', stopped);
  }
}

/**
 * Declaring what the gateway declares (so the server offers the same tools) means answering what a server may then
 * ask the probe: no roots, no sampling, elicitation declined.
 */
function answerServerRequests(client: Client): void {
  client.setRequestHandler(ListRootsRequestSchema, () => ({ roots: [] }));
  client.setRequestHandler(CreateMessageRequestSchema, () => {
    throw new McpError(ErrorCode.InvalidRequest, 'The hub is only testing the connection: no agent can sample');
  });
  client.setRequestHandler(ElicitRequestSchema, () => ({ action: 'decline' as const }));
}

async function discover(
  client: Client,
  transport: Transport,
  options: RequestOptions,
): Promise<Omit<CapabilitiesSnapshot, 'protocolVersion'>> {
  await client.connect(transport, options);
  const caps = client.getServerCapabilities() ?? {};
  const [tools, resources, resourceTemplates, prompts] = await Promise.all([
    caps.tools
      ? listAll(async (cursor) => {
          const r = await client.listTools(cursor ? { cursor } : undefined, options);
          return { nextCursor: r.nextCursor, items: r.tools.map((t) => ({ name: t.name, description: t.description ?? null })) };
        })
      : [],
    caps.resources
      ? listAll(async (cursor) => {
          const r = await client.listResources(cursor ? { cursor } : undefined, options);
          return { nextCursor: r.nextCursor, items: r.resources.map((x) => ({ uri: x.uri, name: x.name })) };
        })
      : [],
    caps.resources
      ? listAll(async (cursor) => {
          const r = await client.listResourceTemplates(cursor ? { cursor } : undefined, options);
          return { nextCursor: r.nextCursor, items: r.resourceTemplates.map((x) => ({ uriTemplate: x.uriTemplate, name: x.name })) };
        }).catch(noTemplates)
      : [],
    caps.prompts
      ? listAll(async (cursor) => {
          const r = await client.listPrompts(cursor ? { cursor } : undefined, options);
          return { nextCursor: r.nextCursor, items: r.prompts.map((p) => ({ name: p.name, description: p.description ?? null })) };
        })
      : [],
  ]);
  const info = client.getServerVersion();
  // Frees the upstream's session now instead of leaving it to expire.
  if (transport instanceof StreamableHTTPClientTransport) await transport.terminateSession().catch(() => undefined);
  return { tools, resources, resourceTemplates, prompts, serverInfo: info ? { name: info.name, version: info.version } : null };
}

/** Many servers that offer resources have no templates and leave resources/templates/list out: that is "none". */
function noTemplates(error: unknown): never[] {
  if (error instanceof McpError && error.code === ErrorCode.MethodNotFound) return [];
  throw error;
}

async function listAll<T>(fetchPage: (cursor?: string) => Promise<{ nextCursor?: string; items: T[] }>): Promise<T[]> {
  const items: T[] = [];
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await fetchPage(cursor);
    items.push(...result.items);
    cursor = result.nextCursor;
    if (!cursor || seen.has(cursor)) break;
    seen.add(cursor);
  }
  return items;
}

/**
 * For stdio: a function resolving once the child has exited. The SDK's close() may already be running (Client.connect
 * closes on a failed initialize) and then returns at once while the child is still stopping; wait for the child
 * itself, and kill it if it outlives the SDK's own stdin-end → SIGTERM → SIGKILL sequence.
 */
function watchChildExit(transport: Transport): () => Promise<void> {
  if (!(transport instanceof StdioClientTransport)) return async () => undefined;
  let pid: number | null = null;
  // Protocol.connect chains an onclose set before it; the stdio transport calls it when the child has exited.
  const exited = new Promise<void>((resolve) => {
    transport.onclose = resolve;
  });
  const start = transport.start.bind(transport);
  transport.start = async () => {
    await start();
    pid = transport.pid;
  };
  return async () => {
    if (pid === null) return;
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), CHILD_EXIT_GRACE_MS);
    });
    const stuck = await Promise.race([exited.then(() => false), gaveUp]);
    clearTimeout(timer);
    if (stuck) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  };
}

/** Keeps the last lines a stdio server wrote to stderr (also drains the pipe so the child never blocks on it). */
function captureStderr(transport: Transport): () => string {
  if (!(transport instanceof StdioClientTransport) || !transport.stderr) return () => '';
  let tail = '';
  transport.stderr.on('data', (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-4000);
  });
  return () => tail.trim().split('\n').slice(-3).join(' | ').slice(-300);
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? error.cause : undefined;
  const causeText = cause ? ((cause as NodeJS.ErrnoException).code ?? cause.message) : undefined;
  return causeText && !error.message.includes(causeText) ? `${error.message} (${causeText})` : error.message;
}

import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import { HUB_CLIENT_CAPABILITIES } from './client-capabilities.js';

/** The stateless revision the probe asks for (the gateway's protocol-versions.ts holds the same constant). */
export const STATELESS_PROBE_VERSION = '2026-07-28';
const MAX_PAGES = 100;

type Json = Record<string, unknown>;

export interface StatelessProbeResult {
  tools: { name: string; description: string | null }[];
  resources: { uri: string; name: string }[];
  resourceTemplates: { uriTemplate: string; name: string }[];
  prompts: { name: string; description: string | null }[];
  serverInfo: { name: string; version: string } | null;
}

/**
 * Probes a Streamable HTTP server in the 2026-07-28 revision: `server/discover`, then the lists it advertises, each
 * a request of its own with the `_meta` envelope and the MCP-Protocol-Version / Mcp-Method headers. Resolves null
 * when the server does not serve that revision (any answer that is not a discover result naming it): the caller
 * then probes the 2025 way. Network failures reject.
 */
export async function probeStateless(
  url: string,
  headers: Record<string, string>,
  fetch: FetchLike,
  signal: AbortSignal,
  clientInfo: { name: string; version: string },
  asGateway: boolean,
): Promise<StatelessProbeResult | null> {
  let nextId = 1;
  const call = async (method: string, params: Json = {}): Promise<{ result?: Json; answered: boolean }> => {
    const id = nextId++;
    const body = {
      jsonrpc: '2.0',
      id,
      method,
      params: {
        ...params,
        _meta: {
          'io.modelcontextprotocol/protocolVersion': STATELESS_PROBE_VERSION,
          'io.modelcontextprotocol/clientCapabilities': asGateway ? HUB_CLIENT_CAPABILITIES : {},
          'io.modelcontextprotocol/clientInfo': clientInfo,
        },
      },
    };
    const response = await fetch(url, {
      method: 'POST',
      signal,
      headers: {
        ...headers,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': STATELESS_PROBE_VERSION,
        'mcp-method': method,
      },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    const messages = (response.headers.get('content-type') ?? '').includes('text/event-stream')
      ? text.split(/\r?\n/).filter((line) => line.startsWith('data:')).map((line) => line.slice(5).trim())
      : [text];
    for (const raw of messages) {
      try {
        const message = JSON.parse(raw) as { id?: unknown; result?: Json; error?: { message?: string } };
        if (message.id !== id) continue;
        if (message.error) throw new Error(`${method}: ${message.error.message ?? 'error'}`);
        return { result: message.result, answered: true };
      } catch (error) {
        if (error instanceof SyntaxError) continue;
        throw error;
      }
    }
    return { answered: false };
  };

  let discovered: Json | undefined;
  try {
    discovered = (await call('server/discover')).result;
  } catch {
    // Answered with an error (a 2025-era server), or unreachable: the 2025 probe tells which, in the usual words.
    return null;
  }
  const versions = discovered?.supportedVersions;
  if (!Array.isArray(versions) || !versions.includes(STATELESS_PROBE_VERSION)) return null;
  const caps = (discovered!.capabilities as Json | undefined) ?? {};
  const listAll = async <T>(method: string, field: string, pick: (item: Json) => T): Promise<T[]> => {
    const items: T[] = [];
    const seen = new Set<string>();
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const { result } = await call(method, cursor ? { cursor } : {});
      if (!result) throw new Error(`${method}: no result`);
      items.push(...((result[field] as Json[] | undefined) ?? []).map(pick));
      cursor = typeof result.nextCursor === 'string' && result.nextCursor ? result.nextCursor : undefined;
      if (!cursor || seen.has(cursor)) break;
      seen.add(cursor);
    }
    return items;
  };
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  const [tools, resources, resourceTemplates, prompts] = await Promise.all([
    caps.tools ? listAll('tools/list', 'tools', (t) => ({ name: str(t.name), description: typeof t.description === 'string' ? t.description : null })) : [],
    caps.resources ? listAll('resources/list', 'resources', (r) => ({ uri: str(r.uri), name: str(r.name) })) : [],
    caps.resources ? listAll('resources/templates/list', 'resourceTemplates', (r) => ({ uriTemplate: str(r.uriTemplate), name: str(r.name) })) : [],
    caps.prompts ? listAll('prompts/list', 'prompts', (p) => ({ name: str(p.name), description: typeof p.description === 'string' ? p.description : null })) : [],
  ]);
  const info = (discovered!._meta as Json | undefined)?.['io.modelcontextprotocol/serverInfo'] as Json | undefined;
  const serverInfo = info && typeof info.name === 'string' ? { name: info.name, version: str(info.version) } : null;
  return { tools, resources, resourceTemplates, prompts, serverInfo };
}

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ownSignalFetch } from '#servers';

export type ClientCapabilities = ConstructorParameters<typeof Client>[1];

/** A real SDK client talking to the hub's /mcp/{group} endpoint with an API key. */
export async function connectStreamable(hubUrl: string, group: string, apiKey: string, options?: ClientCapabilities): Promise<Client> {
  const client = new Client({ name: 'e2e-agent', version: '1.0.0' }, options);
  const transport = new StreamableHTTPClientTransport(new URL(`${hubUrl}/mcp/${group}`), {
    requestInit: { headers: { authorization: `Bearer ${apiKey}` } },
    fetch: ownSignalFetch(fetch),
  });
  await client.connect(transport);
  return client;
}

/** A real SDK client on the legacy HTTP+SSE endpoint /sse/{group}. */
export async function connectSse(hubUrl: string, group: string, apiKey: string, options?: ClientCapabilities): Promise<Client> {
  const client = new Client({ name: 'e2e-sse-agent', version: '1.0.0' }, options);
  const headers = { authorization: `Bearer ${apiKey}` };
  const transport = new SSEClientTransport(new URL(`${hubUrl}/sse/${group}`), {
    requestInit: { headers },
    fetch: ownSignalFetch(fetch),
    eventSourceInit: { fetch: (url, init) => fetch(url, { ...init, headers: { ...(init?.headers as Record<string, string>), ...headers } }) },
  });
  await client.connect(transport);
  return client;
}

/** Raw JSON-RPC over HTTP, for what SDK clients refuse to send (bad JSON, batches, huge bodies). */
export async function rawPost(url: string, body: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body,
  });
  const text = await res.text();
  let json: { error?: { code: number; message: string }; result?: unknown } | undefined;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text };
}

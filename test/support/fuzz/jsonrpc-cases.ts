import type { Rng } from './prng.js';

/** What the generators aim at: a hub with a group, a valid API key, an open Streamable HTTP and an SSE session. */
export interface FuzzContext {
  hubUrl: string;
  group: string;
  apiKey: string;
  /** Open Streamable HTTP session of apiKey on group. */
  sessionId: string;
  /** Open legacy SSE session of apiKey on group (its message URL takes it as ?sessionId=). */
  sseSessionId: string;
  /** Real tool names that answer at once (no long-running, sampling or network tools). */
  toolNames: string[];
  /** Access token of a signed-in member, for /graphql. */
  memberToken: string;
}

export interface FuzzCase {
  kind: string;
  protocol: 'jsonrpc' | 'graphql';
  method: 'GET' | 'POST' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

const METHODS = [
  'tools/call', 'tools/list', 'resources/list', 'resources/read', 'resources/templates/list', 'prompts/list', 'prompts/get',
  'completion/complete', 'ping', 'initialize', 'logging/setLevel', 'resources/subscribe', 'resources/unsubscribe',
  'sampling/createMessage', 'roots/list', 'elicitation/create', 'tasks/get', 'no/such-method', '', 'tools/call/extra', 'TOOLS/CALL',
];
const NOTIFICATIONS = ['notifications/initialized', 'notifications/cancelled', 'notifications/progress', 'notifications/roots/list_changed', 'notifications/message', 'notifications/nope'];

function toolName(rng: Rng, ctx: FuzzContext): unknown {
  switch (rng.int(6)) {
    case 0:
    case 1: return rng.pick(ctx.toolNames);
    case 2: return `${rng.pick(ctx.toolNames)}${rng.string(4)}`;
    case 3: return rng.pick(['everything__', '__echo', 'nope__echo', 'everything__echo__x', 'x'.repeat(300), '../../etc/passwd', '\u0000']);
    case 4: return rng.string(16);
    default: return rng.json(1);
  }
}

function params(rng: Rng, ctx: FuzzContext, method: string): unknown {
  if (rng.chance(0.2)) return rng.json(3);
  switch (method) {
    case 'tools/call': return { name: toolName(rng, ctx), arguments: rng.chance(0.7) ? { message: rng.string(), a: rng.json(0), b: rng.json(0) } : rng.json(2) };
    case 'tools/list':
    case 'resources/list':
    case 'prompts/list':
    case 'resources/templates/list': return { cursor: rng.pick([rng.string(40), '', 'eyJ4IjoxfQ', Buffer.from(rng.string(30)).toString('base64'), 'A'.repeat(5000)]) };
    case 'resources/read': return { uri: rng.pick(['demo://resource/static/document/x', 'demo://resource/dynamic/text/1', 'nowhere://x', rng.string(), 'file:///etc/passwd']) };
    case 'prompts/get': return { name: rng.pick(['everything__simple-prompt', 'everything__args-prompt', rng.string()]), arguments: rng.json(1) };
    case 'initialize': return { protocolVersion: rng.pick(['2025-06-18', '2025-03-26', '1999-01-01', rng.string()]), capabilities: rng.json(1), clientInfo: rng.json(1) };
    default: return rng.json(2);
  }
}

/** Deeply nested params (arrays or objects). */
function nested(rng: Rng, depth: number): unknown {
  let value: unknown = rng.string(4);
  for (let i = 0; i < depth; i++) value = rng.chance(0.5) ? [value] : { a: value };
  return value;
}

function message(rng: Rng, ctx: FuzzContext): { kind: string; value: unknown } {
  const id = () => rng.pick<unknown>([rng.int(1e6), rng.string(10), 1e308, 2 ** 64, -1, 0.5, 'x'.repeat(3000), null, true, {}, [], rng.int(1e6)]);
  const method = rng.pick(METHODS);
  switch (rng.int(11)) {
    case 0: return { kind: 'request', value: { jsonrpc: '2.0', id: rng.int(1e6), method, params: params(rng, ctx, method) } };
    case 1: return { kind: 'tools/call', value: { jsonrpc: '2.0', id: rng.int(1e6), method: 'tools/call', params: params(rng, ctx, 'tools/call') } };
    case 2: return { kind: 'wrong-jsonrpc', value: { jsonrpc: rng.pick([1, '1.0', '2', null, '', {}, undefined]), id: rng.int(100), method, params: params(rng, ctx, method) } };
    case 3: return { kind: 'wrong-id', value: { jsonrpc: '2.0', id: id(), method, params: params(rng, ctx, method) } };
    case 4: return { kind: 'wrong-method', value: { jsonrpc: '2.0', id: rng.int(100), method: rng.pick<unknown>([1, null, {}, [], true, rng.string(), 'x'.repeat(10_000)]) } };
    case 5: return { kind: 'wrong-params', value: { jsonrpc: '2.0', id: rng.int(100), method, params: rng.pick<unknown>([1, 'p', true, null, [1, 2], nested(rng, 1 + rng.int(200))]) } };
    case 6: return { kind: 'notification', value: { jsonrpc: '2.0', method: rng.pick(NOTIFICATIONS), params: rng.chance(0.5) ? { requestId: id(), progressToken: id(), progress: rng.json(0) } : rng.json(2) } };
    case 7: return { kind: 'response-as-request', value: rng.chance(0.5) ? { jsonrpc: '2.0', id: id(), result: rng.json(2) } : { jsonrpc: '2.0', id: id(), error: { code: rng.json(0), message: rng.json(0) } } };
    case 8: return { kind: 'cursor', value: { jsonrpc: '2.0', id: rng.int(100), method: rng.pick(['tools/list', 'resources/list', 'prompts/list', 'resources/templates/list']), params: params(rng, ctx, 'tools/list') } };
    case 9: return { kind: 'not-an-object', value: rng.pick<unknown>([null, 1, 'x', true, [], rng.json(2)]) };
    default: return { kind: 'random-object', value: rng.json(3) };
  }
}

function rawBody(rng: Rng, ctx: FuzzContext): { kind: string; body: string | Uint8Array } {
  switch (rng.int(7)) {
    case 0: {
      const text = JSON.stringify(message(rng, ctx).value) ?? '{}';
      return { kind: 'truncated-json', body: text.slice(0, rng.int(text.length)) };
    }
    case 1: return { kind: 'invalid-utf8', body: Uint8Array.from([0x7b, 0x22, 0x6a, 0x73, 0x6f, 0x6e, 0x72, 0x70, 0x63, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0xff, 0xfe, 0x22, 0x7d]) };
    case 2: return { kind: 'garbage-bytes', body: Uint8Array.from({ length: rng.int(200) }, () => rng.int(256)) };
    case 3: return { kind: 'deep-json', body: '['.repeat(1000 + rng.int(20_000)) + ']'.repeat(rng.chance(0.5) ? 0 : 1000) };
    case 4: return { kind: 'empty', body: rng.pick(['', ' ', 'null', '""', '0', '{}', '[]']) };
    case 5: return { kind: 'duplicate-keys', body: '{"jsonrpc":"2.0","id":1,"id":{"x":1},"method":"ping","method":"tools/call","params":{"name":"a"}}' };
    default: return { kind: 'garbage-text', body: rng.string(200) };
  }
}

/** One malformed or adversarial JSON-RPC exchange against /mcp/:group or /sse/:group/message. */
export function jsonRpcCase(rng: Rng, ctx: FuzzContext): FuzzCase {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
  let kind: string;
  let body: string | Uint8Array;
  const roll = rng.int(10);
  if (roll < 6) {
    const m = message(rng, ctx);
    kind = m.kind;
    body = JSON.stringify(m.value) ?? 'undefined';
  } else if (roll < 8) {
    kind = 'batch';
    body = JSON.stringify(Array.from({ length: rng.int(6) }, () => message(rng, ctx).value));
  } else {
    const raw = rawBody(rng, ctx);
    kind = raw.kind;
    body = raw.body;
  }

  // Where it goes, and with which credentials and session.
  const where = rng.int(20);
  let url = `${ctx.hubUrl}/mcp/${ctx.group}`;
  if (where < 12) {
    headers.authorization = `Bearer ${ctx.apiKey}`;
    if (rng.chance(0.85)) headers['mcp-session-id'] = ctx.sessionId;
  } else if (where < 14) {
    kind += '@no-key';
    if (rng.chance(0.5)) headers.authorization = rng.pick(['Bearer ', 'Bearer mcph_x', `Basic ${ctx.apiKey}`, `Bearer ${ctx.apiKey}x`, rng.string()]).replace(/[^\x20-\x7e]/g, '');
  } else if (where < 18) {
    kind += '@sse';
    headers.authorization = `Bearer ${ctx.apiKey}`;
    const sessionId = rng.chance(0.8) ? ctx.sseSessionId : encodeURIComponent(rng.string(40));
    url = `${ctx.hubUrl}/sse/${ctx.group}/message${rng.chance(0.95) ? `?sessionId=${sessionId}` : ''}`;
  } else {
    kind += '@other-group';
    headers.authorization = `Bearer ${ctx.apiKey}`;
    // Always one non-empty, non-dot path segment: other paths are not the MCP endpoint at all.
    url = `${ctx.hubUrl}/mcp/${encodeURIComponent(rng.pick(['nope', 'x'.repeat(300), `g${rng.string(12)}`, '%00', 'FUZZ']))}`;
  }

  // Header damage.
  if (rng.chance(0.1)) {
    kind += '+content-type';
    const type = rng.pick(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1', 'application/jsonx', '']);
    if (type) headers['content-type'] = type;
    else delete headers['content-type'];
  }
  if (rng.chance(0.05)) headers.accept = rng.pick(['text/html', 'application/json', 'text/event-stream', '*/*']);
  if (rng.chance(0.1)) {
    kind += '+session';
    headers['mcp-session-id'] = rng.pick(['', 'unknown', 'x'.repeat(500), rng.string(20).replace(/[^\x21-\x7e]/g, '')]);
    if (headers['mcp-session-id'] === '') delete headers['mcp-session-id'];
  }
  if (rng.chance(0.1)) {
    kind += '+protocol-version';
    headers['mcp-protocol-version'] = rng.pick(['1999-01-01', '2025-06-18', '2025-03-26', '2024-11-05', 'latest', rng.string(10).replace(/[^\x21-\x7e]/g, '') || 'x']);
  }
  const method = url.includes('/mcp/') && rng.chance(0.03) ? 'DELETE' : 'POST';
  // Never DELETE the shared session: later cases need it.
  if (method === 'DELETE') headers['mcp-session-id'] = `fuzz-${rng.int(1e9)}`;
  return { kind, protocol: 'jsonrpc', method, url, headers, body: method === 'DELETE' ? undefined : body };
}

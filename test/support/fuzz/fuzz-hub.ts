import { GraphQLClient } from '../graphql-client.js';
import { createGroup, createKey, registerServer } from '../hub-fixtures.js';
import { rawPost } from '../mcp-clients.js';
import { everythingStdio } from '../upstreams.js';
import type { FuzzContext } from './jsonrpc-cases.js';

/** Tools of server-everything that answer at once and touch nothing outside this machine. */
const QUICK_TOOLS = ['echo', 'get-sum', 'get-tiny-image', 'get-structured-content', 'get-annotated-message', 'get-resource-reference', 'get-resource-links'];

/**
 * Sets up a running hub for fuzzing: a group `fuzz` with server-everything (stdio), an admin API key with an open
 * Streamable HTTP session and an open legacy SSE session, and a signed-in member.
 * Returns the context and a close() that ends the SSE stream.
 */
export async function prepareFuzzTarget(hubUrl: string, adminEmail: string, adminPassword: string): Promise<{ ctx: FuzzContext; admin: GraphQLClient; member: GraphQLClient; close(): Promise<void> }> {
  const admin = new GraphQLClient(hubUrl);
  await admin.login(adminEmail, adminPassword);
  const server = await registerServer(admin, { name: 'Everything', slug: 'everything', transport: 'STDIO', ...everythingStdio() });
  await createGroup(admin, 'fuzz', [server.id]);
  const key = await createKey(admin, { name: 'fuzz' });
  const memberEmail = `fuzz-member-${Date.now()}@example.com`;
  await admin.data('mutation($e: String!){ createUser(input:{email: $e, password:"fuzz-member-pass"}){ id } }', { e: memberEmail });
  const member = new GraphQLClient(hubUrl);
  await member.login(memberEmail, 'fuzz-member-pass');

  const auth = { authorization: `Bearer ${key.secret}` };
  const init = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'fuzz', version: '1' } } });
  const opened = await rawPost(`${hubUrl}/mcp/fuzz`, init, auth);
  const sessionId = opened.headers.get('mcp-session-id');
  if (opened.status !== 200 || !sessionId) throw new Error(`fuzz: initialize failed with ${opened.status} ${opened.text}`);
  await rawPost(`${hubUrl}/mcp/fuzz`, JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }), { ...auth, 'mcp-session-id': sessionId });
  const listed = await rawPost(`${hubUrl}/mcp/fuzz`, JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }), { ...auth, 'mcp-session-id': sessionId, accept: 'application/json' });
  const names = ((listed.json?.result as { tools?: { name: string }[] })?.tools ?? []).map((t) => t.name);
  const toolNames = QUICK_TOOLS.map((t) => `everything__${t}`).filter((t) => names.includes(t));
  if (toolNames.length < 3) throw new Error(`fuzz: expected server-everything's quick tools, got ${names.join(', ')}`);

  // The legacy SSE session: the stream names the message URL (with the session id) in its first event.
  const abort = new AbortController();
  const sse = await fetch(`${hubUrl}/sse/fuzz`, { headers: { ...auth, accept: 'text/event-stream' }, signal: abort.signal });
  const reader = sse.body!.getReader();
  let buffered = '';
  let sseSessionId: string | undefined;
  while (!sseSessionId) {
    const { value, done } = await reader.read();
    if (done) throw new Error('fuzz: the SSE stream ended before its endpoint event');
    buffered += Buffer.from(value).toString('utf8');
    sseSessionId = /sessionId=([^\s&]+)/.exec(buffered)?.[1];
  }
  // Keep draining the stream so the hub never blocks on a full socket.
  void (async () => {
    try {
      while (!(await reader.read()).done);
    } catch {
      /* aborted at close */
    }
  })();

  return {
    ctx: { hubUrl, group: 'fuzz', apiKey: key.secret, sessionId, sseSessionId, toolNames, memberToken: member.token! },
    admin,
    member,
    async close() {
      abort.abort();
    },
  };
}

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { GraphQLClient } from './graphql-client.js';

/** An SDK client whose next requests carry a chosen X-Request-Id, so a spec can find the call-log entry of one call. */
export interface TaggedClient {
  client: Client;
  /** Sets the X-Request-Id of the requests that follow. */
  tag(id: string): void;
}

export async function connectTagged(hubUrl: string, group: string, apiKey: string): Promise<TaggedClient> {
  let next: string | undefined;
  const transport = new StreamableHTTPClientTransport(new URL(`${hubUrl}/mcp/${group}`), {
    requestInit: { headers: { authorization: `Bearer ${apiKey}` } },
    fetch: (url, init) => {
      const headers = new Headers(init?.headers);
      if (next) headers.set('x-request-id', next);
      return fetch(url, { ...init, headers });
    },
  });
  const client = new Client({ name: 'e2e-call-log', version: '1.0.0' });
  await client.connect(transport);
  return { client, tag: (id) => (next = id) };
}

export interface CallLogEntry {
  id: string;
  at: string;
  keyId: string;
  keyName: string | null;
  userId: string;
  groupId: string | null;
  groupSlug: string | null;
  serverId: string | null;
  serverSlug: string | null;
  replicaId: string | null;
  method: string;
  name: string | null;
  outcome: string;
  latencyMs: number;
  error: string | null;
  correlationId: string | null;
  arguments: string | null;
  result: string | null;
}

export const ENTRY_FIELDS = 'id at keyId keyName userId groupId groupSlug serverId serverSlug replicaId method name outcome latencyMs error correlationId arguments result';

/** Every entry visible to the client matching `filter`, walking the pages. */
export async function allEntries(client: GraphQLClient, filter: Record<string, unknown> = {}, pageSize = 100): Promise<CallLogEntry[]> {
  const entries: CallLogEntry[] = [];
  let after: string | null = null;
  for (;;) {
    type Page = { callLog: { entries: CallLogEntry[]; endCursor: string | null; hasNextPage: boolean } };
    const { callLog }: Page = await client.data<Page>(
      `query($f: CallLogFilterInput, $n: Int, $a: String){ callLog(filter: $f, first: $n, after: $a){ entries { ${ENTRY_FIELDS} } endCursor hasNextPage } }`,
      { f: filter, n: pageSize, a: after },
    );
    entries.push(...callLog.entries);
    if (!callLog.hasNextPage) return entries;
    after = callLog.endCursor;
  }
}

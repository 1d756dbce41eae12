import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { queryDatabase } from './database-query.js';
import { GraphQLClient } from './graphql-client.js';
import { createGroup, createKey, registerServer } from './hub-fixtures.js';
import { connectStreamable } from './mcp-clients.js';
import { everythingStdio } from './upstreams.js';

/** Signs in as the test admin and sets up group `load` with server-everything (stdio) and a key for it. */
export async function setUpLoadGroup(hubUrl: string): Promise<{ admin: GraphQLClient; key: Awaited<ReturnType<typeof createKey>> }> {
  const admin = new GraphQLClient(hubUrl);
  await admin.login('admin@example.com', 'admin-password-123');
  const server = await registerServer(admin, { name: 'Everything', slug: 'everything', transport: 'STDIO', ...everythingStdio() });
  await createGroup(admin, 'load', [server.id]);
  return { admin, key: await createKey(admin) };
}

/** Agents calling one tool in a loop; counts the calls that got an answer (result or tool error, not a failure). */
export interface AgentLoad {
  answered(): number;
  /** Calls sent and not settled right now (at most one per agent). */
  inFlight(): number;
  /** Why agents stopped early (the error of their failed call), for a failing spec to say. */
  stopped(): string[];
  /** Stops the loops and waits for each agent's last call to settle. */
  stop(): Promise<void>;
  clients: Client[];
}

export async function startAgentLoad(hubUrl: string, group: string, apiKey: string, agents: number, tool: string): Promise<AgentLoad> {
  const clients = await Promise.all(Array.from({ length: agents }, () => connectStreamable(hubUrl, group, apiKey)));
  let answered = 0;
  let inFlight = 0;
  let running = true;
  const stopped: string[] = [];
  const loops = clients.map(async (client, i) => {
    for (let n = 0; running; n++) {
      inFlight++;
      try {
        await client.callTool({ name: tool, arguments: { message: `agent ${i} call ${n}` } });
        answered++;
      } catch (error) {
        stopped.push(`agent ${i} after ${n} calls: ${(error as Error).message}`);
        return; // the hub went away (or refused): this agent stops
      } finally {
        inFlight--;
      }
    }
  });
  return {
    clients,
    answered: () => answered,
    inFlight: () => inFlight,
    stopped: () => [...stopped],
    async stop() {
      running = false;
      await Promise.all(loops);
      await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    },
  };
}

/** Calls recorded in usage_hourly for a key (read straight from PostgreSQL). */
export async function recordedCalls(databaseUrl: string, keyId: string): Promise<number> {
  const [{ n }] = await queryDatabase<{ n: number }>(databaseUrl, 'SELECT coalesce(sum(calls), 0)::int AS n FROM usage_hourly WHERE key_id = $1', [keyId]);
  return n;
}

/** Call-log entries of a key in PostgreSQL (one per call: recorded in the same step as its usage). */
export async function loggedCalls(databaseUrl: string, keyId: string): Promise<number> {
  const [{ n }] = await queryDatabase<{ n: number }>(databaseUrl, `SELECT count(*)::int AS n FROM call_log WHERE key_id = $1 AND method = 'tools/call'`, [keyId]);
  return n;
}

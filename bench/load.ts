import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ownSignalFetch } from '#servers';

export interface LoadResult {
  calls: number;
  errors: number;
  seconds: number;
  latenciesMs: number[];
}

/** Called as the measured calls start and again as they end (after connecting and warming up): e.g. to read CPU. */
export interface LoadWindow {
  onStart?(): void;
  onEnd?(): void;
}

/** N SDK clients, each calling `tool` back to back for `durationMs`. */
export async function runLoad(url: string, headers: Record<string, string>, tool: string, sessions: number, durationMs: number, window: LoadWindow = {}): Promise<LoadResult> {
  const clients = await Promise.all(
    Array.from({ length: sessions }, async () => {
      const client = new Client({ name: 'bench', version: '1.0.0' });
      // A signal per request: the SDK shares one per session, and fetch leaves a listener on it per request.
      await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers }, fetch: ownSignalFetch(fetch) }));
      return client;
    }),
  );
  // Warm up every session (JIT, connection pools, upstream start).
  // A failed warm-up call (an overloaded machine) must not end the whole run; measured calls count errors.
  await Promise.all(clients.map(async (c) => { for (let i = 0; i < 20; i++) await c.callTool({ name: tool, arguments: { message: 'warm' } }).catch(() => undefined); }));
  const latencies: number[] = [];
  let errors = 0;
  window.onStart?.();
  const start = performance.now();
  const deadline = start + durationMs;
  await Promise.all(
    clients.map(async (client, i) => {
      let n = 0;
      while (performance.now() < deadline) {
        const t = performance.now();
        try {
          await client.callTool({ name: tool, arguments: { message: `s${i}-${n++}` } });
          latencies.push(performance.now() - t);
        } catch {
          errors++;
        }
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  window.onEnd?.();
  // Ended as an agent ends them (DELETE): sessions left to idle out would count against the key's session cap
  // (MCP_MAX_SESSIONS_PER_KEY) when the next target opens its sessions with the same key.
  await Promise.all(clients.map(async (c) => {
    await (c.transport as StreamableHTTPClientTransport | undefined)?.terminateSession().catch(() => undefined);
    await c.close().catch(() => undefined);
  }));
  return { calls: latencies.length, errors, seconds, latenciesMs: latencies };
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
};

/** How to reach one upstream MCP server, secrets in clear. Built in memory only; never stored or logged. */
export type UpstreamTransportConfig =
  | { type: 'stdio'; command: string; args: string[]; env: Record<string, string>; cwd?: string }
  | { type: 'sse'; url: string; headers: Record<string, string> }
  | { type: 'streamable-http'; url: string; headers: Record<string, string> };

/** A registered server as the gateway needs it: identity, owner, switch and a ready-to-use transport config. */
export interface ResolvedServer {
  id: string;
  slug: string;
  name: string;
  enabled: boolean;
  ownerId: string;
  transport: UpstreamTransportConfig;
}

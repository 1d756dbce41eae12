import type { EgressMode } from '../egress/egress-policy.js';

/**
 * How to reach one upstream MCP server, secrets in clear. Built in memory only; never stored or logged.
 * URL transports carry their owner's egress mode (admins' servers are unrestricted); absent means restricted.
 */
export type UpstreamTransportConfig =
  | { type: 'stdio'; command: string; args: string[]; env: Record<string, string>; cwd?: string }
  | { type: 'sse'; url: string; headers: Record<string, string>; egress?: EgressMode }
  | { type: 'streamable-http'; url: string; headers: Record<string, string>; egress?: EgressMode };

/** One endpoint of a server (the API calls them replicas); `primary` marks the server's own, first one. */
export interface ResolvedReplica {
  id: string;
  name: string;
  primary: boolean;
  weight: number;
  /** Tier: higher numbers are used only when every replica of a lower number is down. */
  priority: number;
  transport: UpstreamTransportConfig;
}

/** Whose credentials fill a server's `${NAME}`s for a call by `callerId`: theirs (PER_USER) or the owner's (SHARED). */
export function credentialsOwner(server: { credentialScope: string; ownerId: string }, callerId: string): string {
  return server.credentialScope === 'PER_USER' ? callerId : server.ownerId;
}

/** The resolver's subject for a call by `callerId`. */
export function variableSubject(server: { credentialScope: string; ownerId: string }, callerId: string): { userId: string; serverOwnerId: string } {
  return { userId: credentialsOwner(server, callerId), serverOwnerId: server.ownerId };
}

export type LoadBalancingStrategy = 'ROUND_ROBIN' | 'WEIGHTED' | 'LEAST_IN_FLIGHT';

/** A registered server as the gateway needs it: identity, owner, switch and ready-to-use transport configs. */
export interface ResolvedServer {
  id: string;
  slug: string;
  name: string;
  enabled: boolean;
  ownerId: string;
  /** PER_USER: each person calling it gets their own connection; `${NAME}`s in transports are filled at connect time. */
  credentialScope: 'SHARED' | 'PER_USER';
  /** The primary replica's transport. */
  transport: UpstreamTransportConfig;
  /** Enabled replicas, primary first. */
  replicas: ResolvedReplica[];
  loadBalancing: LoadBalancingStrategy;
  retryCalls: boolean;
  healthCheckIntervalSeconds: number;
  /** ONE_HUB: with several hubs, one holds the connection (a stdio process) and the others forward to it. */
  connectionPlacement: 'EVERY_HUB' | 'ONE_HUB';
}

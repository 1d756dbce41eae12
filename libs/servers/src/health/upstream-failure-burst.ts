/**
 * Announced on the config bus (kind 'upstream-failures', id = server id) by the gateway when a server's calls fail
 * on the transport `failures` times within `windowSeconds` in one hub process. Alerts notify about it.
 */
export interface UpstreamFailureBurst {
  serverId: string;
  ownerId: string;
  serverSlug: string;
  failures: number;
  windowSeconds: number;
  lastError: string;
  at: string;
}

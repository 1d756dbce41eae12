/** 2025-era revisions this front-end speaks; newest first. 2024-11-05 is the legacy HTTP+SSE era. */
export const SUPPORTED_VERSIONS = ['2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05'] as const;
export const LATEST_VERSION = SUPPORTED_VERSIONS[0];
/** Streamable HTTP: a request without MCP-Protocol-Version is assumed to be this revision. */
export const DEFAULT_HEADER_VERSION = '2025-03-26';

/** Echo the client's version when supported, else offer the latest (the client decides whether to go on). */
export function negotiateVersion(requested: unknown): string {
  return typeof requested === 'string' && (SUPPORTED_VERSIONS as readonly string[]).includes(requested) ? requested : LATEST_VERSION;
}

export const isSupportedVersion = (v: string) => (SUPPORTED_VERSIONS as readonly string[]).includes(v);

/** The stateless revision: no initialize, no session; every request carries its version in `_meta`. */
export const STATELESS_VERSION = '2026-07-28';
/** Versions the hub serves statelessly (server/discover's supportedVersions lists these and SUPPORTED_VERSIONS). */
export const STATELESS_VERSIONS = [STATELESS_VERSION] as const;
export const isStatelessVersion = (v: unknown) => typeof v === 'string' && (STATELESS_VERSIONS as readonly string[]).includes(v);

/** `_meta` keys of the 2026-07-28 revision. */
export const META = {
  protocolVersion: 'io.modelcontextprotocol/protocolVersion',
  clientCapabilities: 'io.modelcontextprotocol/clientCapabilities',
  clientInfo: 'io.modelcontextprotocol/clientInfo',
  logLevel: 'io.modelcontextprotocol/logLevel',
  serverInfo: 'io.modelcontextprotocol/serverInfo',
  subscriptionId: 'io.modelcontextprotocol/subscriptionId',
} as const;

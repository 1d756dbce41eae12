/**
 * First path segments that belong to the hub's own HTTP routes. Everything else that a browser navigates to is a
 * dashboard page (SPA fallback).
 */
export const HUB_ROUTE_PREFIXES: ReadonlySet<string> = new Set(['graphql', 'mcp', 'sse', 'auth', 'health', 'metrics', 'call-log', 'v0.1', 'oauth']);

/**
 * Segments a dashboard page shares with hub routes below it: the page is the segment alone (`/audit`, the audit
 * log page), the hub's routes are its sub-paths (`/audit/export`).
 */
export const SHARED_ROUTE_PREFIXES: ReadonlySet<string> = new Set(['audit', 'backups']);

/** Whether a request path is one of the hub's own routes rather than a dashboard page. */
export function isHubRoute(path: string): boolean {
  const [, segment = '', ...rest] = path.split('/');
  if (HUB_ROUTE_PREFIXES.has(segment)) return true;
  return SHARED_ROUTE_PREFIXES.has(segment) && rest.some((part) => part !== '');
}

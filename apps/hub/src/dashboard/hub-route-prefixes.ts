/**
 * First path segments that belong to the hub's own HTTP routes. Everything else that a browser navigates to is a
 * dashboard page (SPA fallback). schema.e2e.spec.ts fails when a controller route is missing here.
 */
export const HUB_ROUTE_PREFIXES: ReadonlySet<string> = new Set(['graphql', 'mcp', 'sse', 'auth', 'health', 'metrics', 'audit', 'call-log']);

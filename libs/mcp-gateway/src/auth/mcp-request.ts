import type { Request } from 'express';
import type { ResolvedGroup } from '#groups';
import type { KeyPrincipal } from '#keys';

/** What ApiKeyGuard establishes for the handlers and interceptors after it. */
export interface McpRequest extends Request {
  mcp: { principal: KeyPrincipal; group: ResolvedGroup; body?: unknown };
}

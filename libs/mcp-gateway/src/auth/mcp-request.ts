import type { Request } from 'express';
import type { ResolvedGroup } from '#groups';
import type { KeyPrincipal } from '#keys';
import type { QuotaGate } from '../quota/quota-gate.js';

/** What ApiKeyGuard (principal, group) and QuotaInterceptor (quota) establish for the handlers after them. */
export interface McpRequest extends Request {
  mcp: { principal: KeyPrincipal; group: ResolvedGroup; body?: unknown; quota?: QuotaGate };
}

import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { HUB_CONFIG, identifyRequest, type HubConfig } from '#core';
import { ApiKeyVerifier } from '#keys';
import { GatewayView } from '../catalog/gateway-view.service.js';
import { RpcCode } from '../protocol/json-rpc.js';
import { McpHttpError } from '../transport/mcp-http-error.js';
import { mayUseGroup } from './group-access.js';
import type { McpRequest } from './mcp-request.js';

function presentedKey(req: McpRequest): string | undefined {
  const auth = req.headers.authorization;
  if (auth && /^Bearer\s+/i.test(auth)) return auth.replace(/^Bearer\s+/i, '').trim();
  const header = req.headers['x-api-key'];
  return typeof header === 'string' ? header.trim() : undefined;
}

const challenge = (error: string, description: string) => ({
  'WWW-Authenticate': `Bearer realm="mcp-hub", error="${error}", error_description="${description}"`,
});

/**
 * Authenticates an agent's API key (from memory, no database query per call) and checks it may use the group in
 * the URL. Also the DNS-rebinding check: a browser Origin must be on the allowlist. Counts nothing.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly allowedOrigins: Set<string>;

  constructor(
    private readonly verifier: ApiKeyVerifier,
    private readonly view: GatewayView,
    @Inject(HUB_CONFIG) config: HubConfig,
  ) {
    this.allowedOrigins = new Set(config.http.allowedOrigins);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<McpRequest>();
    const origin = req.headers.origin;
    if (origin && !this.allowedOrigins.has(origin)) {
      throw new McpHttpError(403, RpcCode.INVALID_REQUEST, `Origin ${origin} is not allowed (set ALLOWED_ORIGINS)`);
    }
    const key = presentedKey(req);
    if (!key) {
      throw new McpHttpError(401, RpcCode.INVALID_REQUEST, 'Missing API key: send Authorization: Bearer mcph_… or X-API-Key', challenge('invalid_request', 'API key required'));
    }
    const check = await this.verifier.verify(key);
    if (!check.ok) throw new McpHttpError(401, RpcCode.INVALID_REQUEST, `Unauthorized: ${check.reason}`, challenge('invalid_token', check.reason));
    const group = this.view.group(req.params.group as string);
    if (!group) throw new McpHttpError(404, RpcCode.INVALID_REQUEST, `Unknown group "${req.params.group}"`);
    if (!mayUseGroup(check.principal, group)) {
      throw new McpHttpError(403, RpcCode.INVALID_REQUEST, `This API key may not use group "${group.slug}"`, challenge('insufficient_scope', 'group not allowed'));
    }
    req.mcp = { principal: check.principal, group };
    identifyRequest({ actorId: check.principal.userId, authMethod: 'API_KEY' });
    return true;
  }
}

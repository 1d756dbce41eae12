import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { QuotaService, type KeyPrincipal } from '#keys';
import type { McpRequest } from '../auth/mcp-request.js';
import { GatewayMetrics } from '../metrics/gateway-metrics.js';
import { RpcCode } from '../protocol/json-rpc.js';
import { QuotaRefusedError, type QuotaGate } from './quota-gate.js';

/**
 * Quota enforcement for an MCP endpoint: gives the request the API key's quota gate (keys without limits get
 * none). The front-end hands it to the tool-call pipeline, which charges it only for a call it is about to forward,
 * so malformed requests, unknown tools, calls a routing rule denies and requests on a bad session cost nothing.
 */
@Injectable()
export class QuotaInterceptor implements NestInterceptor {
  constructor(
    private readonly quotas: QuotaService,
    private readonly metrics: GatewayMetrics,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<McpRequest>();
    const { perMinute, perDay } = req.mcp.principal;
    if (perMinute !== null || perDay !== null) req.mcp.quota = this.gate(req.mcp.principal, req.mcp.group.slug);
    return next.handle();
  }

  private gate(principal: KeyPrincipal, groupSlug: string): QuotaGate {
    const limits = { perMinute: principal.perMinute, perDay: principal.perDay };
    return {
      charge: async () => {
        const decision = await this.quotas.charge(principal.keyId, limits);
        if (decision.allowed) return;
        if ('storeUnavailable' in decision) {
          this.metrics.quotaRefused(groupSlug, 'store_unavailable');
          throw new QuotaRefusedError(
            RpcCode.QUOTA_STORE_UNAVAILABLE,
            `Quota store unavailable: this API key's quota cannot be checked right now, so the hub refuses the call; retry in ${decision.retryAfterSeconds} s`,
            decision.retryAfterSeconds,
          );
        }
        this.metrics.quotaRefused(groupSlug, decision.window === 'minute' ? 'per_minute' : 'per_day');
        throw new QuotaRefusedError(
          RpcCode.RATE_LIMITED,
          `Rate limit exceeded: ${decision.limit} tool calls per ${decision.window} for this API key; retry in ${decision.retryAfterSeconds} s`,
          decision.retryAfterSeconds,
          decision.window,
        );
      },
    };
  }
}

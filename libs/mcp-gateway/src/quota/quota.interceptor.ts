import { Inject, Injectable, SetMetadata, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { from, of, switchMap, type Observable } from 'rxjs';
import { HUB_CONFIG, type HubConfig } from '#core';
import { CallOutcome, QuotaService } from '#keys';
import type { McpRequest } from '../auth/mcp-request.js';
import { GatewayMetrics } from '../metrics/gateway-metrics.js';
import { RpcCode, errorOf, type JsonRpcId } from '../protocol/json-rpc.js';
import { CallJournal } from '../router/call-journal.js';
import { SessionRegistry } from '../session/session-registry.js';
import { mcpBody } from '../transport/mcp-body.js';
import { lookupSession } from '../transport/session-lookup.js';

export const QUOTA_REPLY = 'mcp:quotaReply';
/** How an over-quota call is refused: HTTP 429 (Streamable HTTP) or a JSON-RPC error on the session's stream (SSE). */
export const QuotaReply = (mode: 'http' | 'stream') => SetMetadata(QUOTA_REPLY, mode);

/**
 * Charges each tools/call against the key's per-minute and per-day limits before it reaches the router.
 * Refused calls never reach an upstream.
 */
@Injectable()
export class QuotaInterceptor implements NestInterceptor {
  constructor(
    private readonly quotas: QuotaService,
    private readonly sessions: SessionRegistry,
    private readonly reflector: Reflector,
    private readonly metrics: GatewayMetrics,
    private readonly journal: CallJournal,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<McpRequest>();
    const { perMinute, perDay, keyId } = req.mcp.principal;
    if (req.method !== 'POST' || (perMinute === null && perDay === null)) return next.handle();
    return from(this.check(req, keyId, { perMinute, perDay }, context)).pipe(switchMap((allowed) => (allowed ? next.handle() : of(undefined))));
  }

  /** Returns false after answering the refusal itself. */
  private async check(req: McpRequest, keyId: string, limits: { perMinute: number | null; perDay: number | null }, context: ExecutionContext): Promise<boolean> {
    const body = (await mcpBody(req, this.config.gateway.maxMessageBytes)) as { method?: unknown; id?: JsonRpcId; params?: unknown } | null;
    if (!body || typeof body !== 'object' || body.method !== 'tools/call') return true;
    // The refusal travels on the session's stream: only on a session of this key and group (else 404/403, uncharged).
    const streamed = this.reflector.get<string>(QUOTA_REPLY, context.getHandler()) === 'stream';
    const session = streamed ? lookupSession(this.sessions, req, req.query.sessionId) : undefined;
    const decision = await this.quotas.charge(keyId, limits);
    if (decision.allowed) return true;
    this.metrics.quotaRefused(req.mcp.group.slug, 'storeUnavailable' in decision ? 'store_unavailable' : decision.window === 'minute' ? 'per_minute' : 'per_day');
    const res = context.switchToHttp().getResponse<Response>();
    const error =
      'storeUnavailable' in decision
        ? errorOf(body.id ?? null, {
            code: RpcCode.QUOTA_STORE_UNAVAILABLE,
            message: `Quota store unavailable: this API key's quota cannot be checked right now, so the hub refuses the call; retry in ${decision.retryAfterSeconds} s`,
            data: { retryAfterSeconds: decision.retryAfterSeconds },
          })
        : errorOf(body.id ?? null, {
            code: RpcCode.RATE_LIMITED,
            message: `Rate limit exceeded: ${decision.limit} tool calls per ${decision.window} for this API key; retry in ${decision.retryAfterSeconds} s`,
            data: { retryAfterSeconds: decision.retryAfterSeconds, window: decision.window },
          });
    // Recorded before the refusal leaves, like every other call.
    await this.journal.refused(req.mcp.principal, req.mcp.group.id, body.params, CallOutcome.QUOTA_REFUSED, error.error!.message);
    if (session) {
      session.standalone?.send(error);
      res.status(202).end();
    } else {
      res.status('storeUnavailable' in decision ? 503 : 429).set('Retry-After', String(decision.retryAfterSeconds)).json(error);
    }
    return false;
  }
}

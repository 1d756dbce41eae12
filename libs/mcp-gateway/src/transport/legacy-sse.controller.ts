import { ApiKeyAuth } from '#auth';
import { Controller, Get, Inject, Post, Req, Res, UseFilters, UseGuards, UseInterceptors } from '@nestjs/common';
import type { Response } from 'express';
import { HUB_CONFIG, type HubConfig } from '#core';
import { ApiKeyGuard } from '../auth/api-key.guard.js';
import { McpHostGuard } from '../auth/mcp-host.guard.js';
import type { McpRequest } from '../auth/mcp-request.js';
import { invalidMessageReason, isRequest, type JsonRpcMessage } from '../protocol/json-rpc.js';
import { QuotaInterceptor } from '../quota/quota.interceptor.js';
import { McpRouter } from '../router/mcp-router.js';
import { SseStreamChannel, startSse } from '../session/message-channel.js';
import { SessionBus } from '../session/session-bus.js';
import { SessionRegistry } from '../session/session-registry.js';
import { mcpBody } from './mcp-body.js';
import { McpExceptionFilter } from './mcp-exception.filter.js';
import { badRequest } from './mcp-http-error.js';
import { lookupSession } from './session-lookup.js';
import { traceparentOf } from './traceparent.js';

/**
 * Legacy HTTP+SSE front-end (MCP 2024-11-05) at /sse/:group: GET opens the stream and names the POST URL in an
 * `endpoint` event; every answer travels on the stream. The session lives as long as the stream.
 */
@Controller('sse')
@ApiKeyAuth()
@UseGuards(McpHostGuard, ApiKeyGuard)
@UseFilters(McpExceptionFilter)
export class LegacySseController {
  private readonly basePath: string;

  constructor(
    private readonly sessions: SessionRegistry,
    private readonly router: McpRouter,
    private readonly bus: SessionBus,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {
    this.basePath = new URL(config.http.publicUrl).pathname.replace(/\/$/, '');
  }

  @Get(':group')
  async open(@Req() req: McpRequest, @Res() res: Response): Promise<void> {
    const session = this.sessions.create(req.mcp.principal, req.mcp.group.slug, 'sse', '2024-11-05');
    // Its POSTs may land on any hub: they find the session in the store and send their answers to this hub.
    if (this.bus.shared) session.streamHub = this.bus.hubId;
    await this.sessions.share(session).catch(() => undefined);
    startSse(res);
    const channel = new SseStreamChannel(res, () => this.sessions.end(session.id));
    session.standalone = channel;
    channel.writeRaw(`event: endpoint\ndata: ${this.basePath}/sse/${encodeURIComponent(session.groupSlug)}/message?sessionId=${session.id}\n\n`);
  }

  /** Served by a direct route (transport/mcp-direct-routes.ts), which runs the guards, interceptor and filter declared here. */
  @Post(':group/message')
  @UseInterceptors(QuotaInterceptor)
  async message(@Req() req: McpRequest, @Res() res: Response): Promise<void> {
    const session = await lookupSession(this.sessions, req, req.query.sessionId);
    const body = await mcpBody(req, this.config.gateway.maxMessageBytes);
    const invalid = invalidMessageReason(body);
    if (invalid) throw badRequest(`Invalid request: ${invalid}`);
    const message = body as JsonRpcMessage;
    res.status(202).end('Accepted');
    if (!isRequest(message)) return this.router.handleIncoming(session, message);
    const stream = session.standalone!;
    stream.send(await this.router.handleRequest(message, { session, requestId: message.id, channel: stream, traceparent: traceparentOf(req), quota: req.mcp.quota }));
  }
}

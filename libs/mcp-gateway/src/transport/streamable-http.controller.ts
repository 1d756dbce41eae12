import { ApiKeyAuth } from '#auth';
import { Controller, Delete, Get, Inject, Post, Req, Res, UseFilters, UseGuards, UseInterceptors } from '@nestjs/common';
import type { Response } from 'express';
import { randomUUID } from 'node:crypto';
import { HUB_CONFIG, type HubConfig } from '#core';
import { ApiKeyGuard } from '../auth/api-key.guard.js';
import { McpHostGuard } from '../auth/mcp-host.guard.js';
import type { McpRequest } from '../auth/mcp-request.js';
import { RpcCode, invalidMessageReason, isRequest, type JsonRpcMessage } from '../protocol/json-rpc.js';
import { DEFAULT_HEADER_VERSION, STATELESS_VERSION, isSupportedVersion, negotiateVersion } from '../protocol/protocol-versions.js';
import { QuotaInterceptor } from '../quota/quota.interceptor.js';
import { McpSession } from '../session/mcp-session.js';
import { McpRouter } from '../router/mcp-router.js';
import { PostResponseChannel, SseStreamChannel, startSse } from '../session/message-channel.js';
import { RemoteStreamChannel } from '../session/remote-stream-channel.js';
import { SessionRegistry } from '../session/session-registry.js';
import { mcpBody } from './mcp-body.js';
import { McpExceptionFilter } from './mcp-exception.filter.js';
import { McpHttpError, badRequest } from './mcp-http-error.js';
import { httpStatusOf } from './rpc-http-status.js';
import { lookupSession } from './session-lookup.js';
import { isStatelessRequest, readStatelessRequest } from './stateless-request.js';
import { traceparentOf } from './traceparent.js';

/**
 * Streamable HTTP front-end at /mcp/:group for both eras: 2025-03-26 … 2025-11-25 sessions (initialize,
 * Mcp-Session-Id) and 2026-07-28 stateless requests (each one self-describing in `_meta`). Parses and delivers;
 * routes nothing.
 */
@Controller('mcp')
@ApiKeyAuth()
@UseGuards(McpHostGuard, ApiKeyGuard)
@UseFilters(McpExceptionFilter)
export class StreamableHttpController {
  constructor(
    private readonly sessions: SessionRegistry,
    private readonly router: McpRouter,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  /** Served by a direct route (transport/mcp-direct-routes.ts), which runs the guards, interceptor and filter declared here. */
  @Post(':group')
  @UseInterceptors(QuotaInterceptor)
  async post(@Req() req: McpRequest, @Res() res: Response): Promise<void> {
    const body = await mcpBody(req, this.config.gateway.maxMessageBytes);
    const invalid = invalidMessageReason(body);
    if (invalid) throw badRequest(`Invalid request: ${invalid}`);
    const message = body as JsonRpcMessage;
    const acceptsSse = (req.headers.accept ?? '').includes('text/event-stream');
    if (!req.headers['mcp-session-id'] && isStatelessRequest(req.headers, message)) return this.stateless(req, res, message, acceptsSse);

    if (isRequest(message) && message.method === 'initialize') {
      if (req.headers['mcp-session-id']) throw badRequest('initialize must be sent without an Mcp-Session-Id');
      const session = this.sessions.create(req.mcp.principal, req.mcp.group.slug, 'streamable-http', negotiateVersion(message.params?.protocolVersion));
      const channel = new PostResponseChannel(res, { 'mcp-session-id': session.id }, acceptsSse);
      const response = await this.router.handleRequest(message, { session, requestId: message.id, channel, traceparent: traceparentOf(req) });
      if (response.error) this.sessions.remove(session.id);
      // Stored before the agent learns the id: its next request may land on any hub.
      else await this.sessions.share(session).catch(() => undefined);
      channel.finish(response);
      return;
    }

    const session = await lookupSession(this.sessions, req, req.headers['mcp-session-id']);
    const version = req.headers['mcp-protocol-version'] ?? DEFAULT_HEADER_VERSION;
    if (typeof version !== 'string' || !isSupportedVersion(version)) {
      throw badRequest(`Unsupported MCP-Protocol-Version: ${String(version)}`);
    }
    if (!isRequest(message)) {
      this.router.handleIncoming(session, message);
      res.status(202).end();
      return;
    }
    const channel = new PostResponseChannel(res, { 'mcp-session-id': session.id }, acceptsSse);
    const response = await this.router.handleRequest(message, { session, requestId: message.id, channel, traceparent: traceparentOf(req), quota: req.mcp.quota });
    const { status, headers } = httpStatusOf(response, false);
    channel.finish(response, status, headers);
  }

  /** A 2026-07-28 request: checked, then answered in a context of its own that lives as long as the request. */
  private async stateless(req: McpRequest, res: Response, message: JsonRpcMessage, acceptsSse: boolean): Promise<void> {
    const call = readStatelessRequest(req.headers, message);
    if (!isRequest(message)) {
      res.status(202).end(); // notifications (e.g. cancelled) of a stateless client: nothing to attach them to
      return;
    }
    const session = new McpSession(randomUUID(), req.mcp.principal, req.mcp.group.slug, 'stateless', STATELESS_VERSION);
    session.clientCapabilities = call.clientCapabilities;
    session.initialized = true;
    const channel = new PostResponseChannel(res, {}, acceptsSse);
    this.sessions.track(session); // an upstream's request during this call must find it
    let response;
    try {
      response = await this.router.handleRequest(message, { session, requestId: message.id, channel, traceparent: traceparentOf(req), quota: req.mcp.quota, stateless: call });
    } finally {
      this.sessions.untrack(session);
    }
    const { status, headers } = httpStatusOf(response, true);
    channel.finish(response, status, headers);
  }

  /** The session's stream for server-initiated messages (list_changed, logs, resource updates). */
  @Get(':group')
  async stream(@Req() req: McpRequest, @Res() res: Response): Promise<void> {
    const session = await lookupSession(this.sessions, req, req.headers['mcp-session-id']);
    if (!(req.headers.accept ?? '').includes('text/event-stream')) {
      throw new McpHttpError(405, RpcCode.INVALID_REQUEST, 'GET opens the event stream: send Accept: text/event-stream', { allow: 'POST, DELETE' });
    }
    if (session.standalone?.open && !(session.standalone instanceof RemoteStreamChannel)) throw new McpHttpError(409, RpcCode.INVALID_REQUEST, 'This session already has an open event stream');
    startSse(res, { 'mcp-session-id': session.id });
    const channel: SseStreamChannel = new SseStreamChannel(res, () => {
      if (session.standalone === channel) session.standalone = undefined;
    });
    session.standalone = channel;
    // Other hubs' messages for this agent (resource updates, logs, their relays) come here through Redis.
    await this.sessions.streamOpened(session).catch(() => undefined);
  }

  @Delete(':group')
  async end(@Req() req: McpRequest, @Res() res: Response): Promise<void> {
    const session = await lookupSession(this.sessions, req, req.headers['mcp-session-id']);
    this.sessions.end(session.id);
    res.status(200).end();
  }
}

import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { HUB_CONFIG, type HubConfig } from '#core';
import { Public } from '#auth';
import { UPSTREAM_CALLBACK_PATH, UpstreamAuthorizationService } from '../upstream-authorization.service.js';

/**
 * Where authorization servers send the person's browser back. No hub token comes with a top-level redirect: the
 * flow is found by its one-time `state`, which only the person who started it was given.
 */
@Public()
@Controller()
export class UpstreamOAuthCallbackController {
  constructor(
    private readonly authorizations: UpstreamAuthorizationService,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  @Get(UPSTREAM_CALLBACK_PATH.slice(1))
  async callback(@Req() req: Request, @Res() res: Response) {
    const outcome = await this.authorizations.finish(req.query as Record<string, unknown>);
    const page = outcome.serverId ? `/servers/${encodeURIComponent(outcome.serverId)}` : '/servers';
    const location = `${this.config.http.publicUrl}${page}?${new URLSearchParams({ upstreamAuthorization: outcome.ok ? 'ok' : 'failed', message: outcome.message })}`;
    // The code and state are in this request's URL: keep them out of caches and Referer headers.
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.redirect(302, location);
  }
}

import { Public } from '#auth';
import { Controller, Get, Inject, NotFoundException, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { HUB_CONFIG, type HubConfig } from '#core';
import { IdentityProviders } from '../identity-providers.js';
import { SignInService } from '../sign-in.service.js';
import { SignInProvider } from '../sign-in-provider.js';
import type { IdentityProvider } from '../strategies/identity-provider.js';
import { SignInErrorCode } from '../sign-in.errors.js';
import { bindingOf, ensureBinding } from './browser-binding.js';
import { SignInStartThrottle } from './sign-in-start-throttle.js';

/** Browser routes of external sign-in. A provider that is not configured has no routes (404). */
/** The browser side of external sign-in: no hub token yet (the flow itself is bound to the browser by a cookie). */
@Public()
@Controller('auth')
export class SignInController {
  constructor(
    private readonly providers: IdentityProviders,
    private readonly signIn: SignInService,
    private readonly throttle: SignInStartThrottle,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  @Get(':provider')
  async start(@Param('provider') slug: string, @Query('link') link: unknown, @Req() req: Request, @Res() res: Response) {
    const provider = this.provider(slug);
    if (!(await this.throttle.allow(req.ip ?? 'unknown'))) {
      const message = 'Too many sign-in attempts from your address; wait a minute and try again';
      return redirect(res, this.providers.dashboardCallback({ error: SignInErrorCode.RATE_LIMITED, message }));
    }
    const binding = ensureBinding(req, res, this.config.http.publicUrl);
    redirect(res, await this.signIn.start(provider, binding, typeof link === 'string' ? link : undefined));
  }

  @Get(':provider/callback')
  async callback(@Param('provider') slug: string, @Req() req: Request, @Res() res: Response) {
    const provider = this.provider(slug);
    redirect(res, await this.signIn.finish(provider, { query: req.query }, bindingOf(req)));
  }

  /** Azure AD may answer with response_mode=form_post. */
  @Post(':provider/callback')
  async formPostCallback(@Param('provider') slug: string, @Req() req: Request, @Res() res: Response) {
    const provider = this.provider(slug);
    if (provider.id !== SignInProvider.AZURE_AD) throw new NotFoundException();
    const body = (req.body ?? {}) as Record<string, unknown>;
    redirect(res, await this.signIn.finish(provider, { query: req.query, body }, bindingOf(req)));
  }

  private provider(slug: string): IdentityProvider {
    const provider = this.providers.bySlug(slug);
    if (!provider) throw new NotFoundException(`No sign-in provider "${slug}" is enabled on this hub`);
    return provider;
  }
}

function redirect(res: Response, location: string): void {
  // Codes and states are in these URLs: keep them out of caches and Referer headers.
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.redirect(302, location);
}

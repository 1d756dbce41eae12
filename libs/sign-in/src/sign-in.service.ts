import { Inject, Injectable } from '@nestjs/common';
import { HUB_CONFIG, PINO, unauthenticated, type HubConfig, type Logger } from '#core';
import { LoginService, UsersService, type Session } from '#users';
import { AccountLinkingService } from './account-linking.service.js';
import { CodePurpose } from './codes/sign-in-code.entity.js';
import { SignInCodesRepository } from './codes/sign-in-codes.repository.js';
import { FlowIntent } from './flow/sign-in-flow.entity.js';
import { SignInFlows, type StartedBy } from './flow/sign-in-flows.js';
import { IdentityProviders } from './identity-providers.js';
import { assertSignInAllowed } from './policies/sign-in-policy.js';
import { SignInErrorCode, SignInFailure } from './sign-in.errors.js';
import { AUTH_METHOD_OF } from './sign-in-provider.js';
import type { CallbackRequest, IdentityProvider } from './strategies/identity-provider.js';

/** The one-time code the dashboard exchanges for tokens: short, because it travels in a URL. */
export const SIGN_IN_CODE_TTL_MS = 60_000;
/** A pending link waits for the same signed-in user to confirm it in the dashboard. */
export const LINK_COMPLETE_TTL_MS = 5 * 60_000;

export interface DeviceContext {
  ip?: string;
  userAgent?: string;
}

/**
 * The browser side of signing in with a provider: start (→ provider), callback (→ dashboard with a one-time code
 * or an error), and the exchange of that code for the hub's tokens. Never puts a token in a URL.
 */
@Injectable()
export class SignInService {
  constructor(
    private readonly providers: IdentityProviders,
    private readonly flows: SignInFlows,
    private readonly codes: SignInCodesRepository,
    private readonly linking: AccountLinkingService,
    private readonly users: UsersService,
    private readonly login: LoginService,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    @Inject(PINO) private readonly logger: Logger,
  ) {}

  /** Where the browser goes to start: the provider, or the dashboard with an error. */
  async start(provider: IdentityProvider, browserBinding: string, linkTicket?: string): Promise<string> {
    try {
      const startedBy = await this.startedBy(provider, linkTicket);
      const store = this.flows.forStart(provider.id, browserBinding, startedBy);
      return await provider.authorizationUrl(store, this.providers.redirectUri(provider.id));
    } catch (error) {
      return this.failed(provider, error, 'start');
    }
  }

  /** Where the browser goes after the provider's callback: the dashboard, with a one-time code or an error. */
  async finish(provider: IdentityProvider, request: CallbackRequest, browserBinding: string | undefined): Promise<string> {
    try {
      const store = this.flows.forCallback(provider.id, browserBinding);
      const profile = await provider.identify(request, store, this.providers.redirectUri(provider.id));
      assertSignInAllowed(profile, this.config.signIn);
      const startedBy = store.startedBy!;
      if (startedBy.intent === FlowIntent.LINK && startedBy.userId) {
        await this.linking.assertLinkable(startedBy.userId, profile);
        const linkCode = await this.codes.issue({
          purpose: CodePurpose.LINK_COMPLETE,
          userId: startedBy.userId,
          provider: provider.id,
          identity: { subject: profile.subject, email: profile.email },
          ttlMs: LINK_COMPLETE_TTL_MS,
        });
        return this.providers.dashboardCallback({ linkCode });
      }
      const user = await this.linking.userFor(profile);
      const code = await this.codes.issue({ purpose: CodePurpose.SIGN_IN, userId: user.id, provider: provider.id, ttlMs: SIGN_IN_CODE_TTL_MS });
      this.logger.info({ userId: user.id, provider: provider.id }, 'external sign-in completed');
      return this.providers.dashboardCallback({ code });
    } catch (error) {
      return this.failed(provider, error, 'callback');
    }
  }

  /** exchangeSignInCode: single use, expires after SIGN_IN_CODE_TTL_MS. */
  async exchange(code: string, device: DeviceContext): Promise<Session> {
    const taken = code ? await this.codes.take(code, CodePurpose.SIGN_IN) : null;
    if (!taken) throw unauthenticated('This sign-in code is invalid, expired or already used: sign in again');
    const user = await this.users.findById(taken.userId);
    if (!user || user.disabled) throw unauthenticated('Account no longer active');
    return this.login.startSession(user, { method: AUTH_METHOD_OF[taken.provider], ...device });
  }

  private async startedBy(provider: IdentityProvider, linkTicket: string | undefined): Promise<StartedBy> {
    if (linkTicket === undefined) return { intent: FlowIntent.SIGN_IN, userId: null };
    const ticket = linkTicket ? await this.codes.take(linkTicket, CodePurpose.LINK_START) : null;
    if (!ticket || ticket.provider !== provider.id) {
      throw new SignInFailure(
        SignInErrorCode.INVALID_LINK_REQUEST,
        'This link request is invalid, expired or was already used: start linking again from your account page',
        'unknown, used or expired link ticket',
      );
    }
    return { intent: FlowIntent.LINK, userId: ticket.userId };
  }

  private failed(provider: IdentityProvider, error: unknown, step: 'start' | 'callback'): string {
    if (!(error instanceof SignInFailure)) {
      this.logger.error({ err: error, provider: provider.id, step }, 'external sign-in failed unexpectedly');
      error = new SignInFailure(SignInErrorCode.PROVIDER_ERROR, 'Sign-in failed because of an error in the hub; try again', 'unexpected');
    }
    const failure = error as SignInFailure;
    this.logger.warn({ provider: provider.id, step, code: failure.code, reason: failure.reason }, 'external sign-in refused');
    return this.providers.dashboardCallback({ error: failure.code, message: failure.message });
  }
}

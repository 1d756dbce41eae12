import { randomBytes } from 'node:crypto';
import { Strategy as PassportGitHubStrategy, type Profile as GitHubProfile, type StrategyOptions } from 'passport-github2';
import type { GitHubSignInConfig } from '#core';
import type { ExternalProfile } from '../external-profile.js';
import { SignInErrorCode, SignInFailure } from '../sign-in.errors.js';
import { SignInProvider } from '../sign-in-provider.js';
import type { AuthorizationStore, CallbackRequest, IdentityProvider } from './identity-provider.js';
import { providerErrorOf } from './provider-error.js';
import { runStrategy } from './run-strategy.js';

const API_TIMEOUT_MS = 10_000;
const MAX_ORG_PAGES = 10;

interface GitHubEmail {
  value: string;
  primary?: boolean;
  verified?: boolean;
}

/**
 * GitHub OAuth (passport-github2 over passport-oauth2): authorization code with state and PKCE S256, both kept by
 * the hub's AuthorizationStore (passport-oauth2's `store` option) instead of a session. Reads /user,
 * /user/emails (with their verified flags) and, when organizations are restricted, /user/orgs.
 */
export class GitHubIdentityProvider implements IdentityProvider {
  readonly id = SignInProvider.GITHUB;

  constructor(private readonly config: GitHubSignInConfig) {}

  async authorizationUrl(store: AuthorizationStore, redirectUri: string): Promise<string> {
    const outcome = await runStrategy(this.strategy(store, redirectUri).strategy, { query: {}, body: {} });
    if (outcome.kind === 'redirect') return outcome.url;
    throw new SignInFailure(SignInErrorCode.PROVIDER_ERROR, 'GitHub sign-in could not be started', reasonOf(outcome));
  }

  async identify(request: CallbackRequest, store: AuthorizationStore, redirectUri: string): Promise<ExternalProfile> {
    const refused = providerErrorOf(request.query, 'GitHub');
    if (refused) throw refused;
    const { strategy, stateRejected } = this.strategy(store, redirectUri);
    const outcome = await runStrategy(strategy, { query: request.query, body: request.body ?? {} });
    switch (outcome.kind) {
      case 'success':
        return outcome.user as ExternalProfile;
      case 'fail':
        if (stateRejected()) throw invalidState(outcome.reason);
        throw new SignInFailure(SignInErrorCode.PROVIDER_ERROR, 'GitHub did not complete the sign-in', outcome.reason);
      case 'error':
        throw classify(outcome.error);
      default:
        throw new SignInFailure(SignInErrorCode.PROVIDER_ERROR, 'GitHub did not complete the sign-in', `unexpected ${outcome.kind}`);
    }
  }

  private strategy(store: AuthorizationStore, redirectUri: string) {
    let rejected = false;
    // passport-oauth2 tells store signatures apart by arity: keep the parameter lists as they are.
    const stateStore = {
      store(_req: unknown, verifier: string, _state: unknown, _meta: unknown, done: (err: Error | null, state?: string) => void) {
        const state = randomBytes(32).toString('base64url');
        store.save({ state, codeVerifier: verifier }).then(() => done(null, state), done);
      },
      verify(_req: unknown, state: unknown, _meta: unknown, done: (err: Error | null, verifier?: string | false, info?: unknown) => void) {
        const taken = typeof state === 'string' && state ? store.take(state) : Promise.resolve(null);
        taken.then((pending) => {
          if (pending) return done(null, pending.codeVerifier, {});
          rejected = true;
          return done(null, false, { message: 'state is missing, unknown, already used, expired or from another browser' });
        }, done);
      },
    };
    const api = this.config.apiUrl;
    const strategy = new PassportGitHubStrategy(
      {
        clientID: this.config.clientId,
        clientSecret: this.config.clientSecret,
        callbackURL: redirectUri,
        authorizationURL: this.config.authorizeUrl,
        tokenURL: this.config.tokenUrl,
        userProfileURL: `${api}/user`,
        userEmailURL: `${api}/user/emails`,
        allRawEmails: true,
        // read:org only when membership decides who may sign in.
        scope: ['read:user', 'user:email', ...(this.config.allowedOrgs.length ? ['read:org'] : [])],
        userAgent: 'mcp-hub',
        pkce: true,
        // The typings say `state?: string`; passport-oauth2 wants `true` to run the store.
        state: true,
        store: stateStore,
        passReqToCallback: false,
      } as unknown as StrategyOptions,
      (accessToken: string, _refreshToken: string, profile: GitHubProfile, done: (err: unknown, user?: ExternalProfile) => void) => {
        this.toProfile(accessToken, profile).then((p) => done(null, p), done);
      },
    );
    return { strategy, stateRejected: () => rejected };
  }

  private async toProfile(accessToken: string, profile: GitHubProfile): Promise<ExternalProfile> {
    const emails = (profile.emails ?? []) as GitHubEmail[];
    const chosen = emails.find((e) => e.primary && e.verified) ?? emails.find((e) => e.verified) ?? emails.find((e) => e.primary);
    const json = (profile as unknown as { _json?: { email?: string | null } })._json;
    const email = chosen?.value ?? json?.email ?? null;
    return {
      provider: SignInProvider.GITHUB,
      subject: String(profile.id),
      email: email ? email.toLowerCase() : null,
      emailVerified: chosen?.verified === true,
      displayName: profile.displayName || profile.username || null,
      orgs: this.config.allowedOrgs.length ? await this.orgs(accessToken) : undefined,
    };
  }

  /** Organization logins of the signed-in user, following GitHub's Link pagination. */
  private async orgs(accessToken: string): Promise<string[]> {
    const logins: string[] = [];
    let next: string | null = `${this.config.apiUrl}/user/orgs?per_page=100`;
    for (let page = 0; next && page < MAX_ORG_PAGES; page++) {
      const res: Response = await fetch(next, {
        headers: { authorization: `Bearer ${accessToken}`, accept: 'application/vnd.github+json', 'user-agent': 'mcp-hub' },
        signal: AbortSignal.timeout(API_TIMEOUT_MS),
      });
      if (!res.ok) {
        throw new SignInFailure(SignInErrorCode.PROFILE_UNAVAILABLE, 'GitHub did not list your organizations; try again', `/user/orgs answered ${res.status}`);
      }
      const body = (await res.json()) as { login?: unknown }[];
      for (const org of body) if (typeof org.login === 'string') logins.push(org.login.toLowerCase());
      next = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') ?? '')?.[1] ?? null;
    }
    return logins;
  }
}

const invalidState = (reason: string) =>
  new SignInFailure(SignInErrorCode.INVALID_STATE, 'This sign-in link is invalid, expired or was already used: start again from the sign-in page', reason);

function classify(error: unknown): SignInFailure {
  if (error instanceof SignInFailure) return error;
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  // passport-oauth2 raises TokenError for an error answer, 'Failed to obtain access token' for anything else.
  if ((error as Error)?.name === 'TokenError' || /obtain access token/i.test(message)) {
    return new SignInFailure(SignInErrorCode.TOKEN_EXCHANGE_FAILED, 'GitHub did not accept the sign-in code: start again from the sign-in page', message);
  }
  return new SignInFailure(SignInErrorCode.PROFILE_UNAVAILABLE, 'Your GitHub profile could not be read; try again', message);
}

function reasonOf(outcome: { kind: string; reason?: string; error?: unknown }): string {
  if (outcome.reason) return outcome.reason;
  if (outcome.error instanceof Error) return outcome.error.message;
  return outcome.kind;
}

import { createRequire } from 'node:module';
import type { AzureAdSignInConfig } from '#core';
import type { ExternalProfile } from '../external-profile.js';
import { SignInErrorCode, SignInFailure } from '../sign-in.errors.js';
import { SignInProvider } from '../sign-in-provider.js';
import type { AuthorizationStore, CallbackRequest, IdentityProvider } from './identity-provider.js';
import { newCodeVerifier, s256Challenge } from './pkce.js';
import { providerErrorOf } from './provider-error.js';
import { runStrategy, type StrategyOutcome } from './run-strategy.js';

// Everything that knows about passport-azure-ad (archived upstream) is in this file: a successor such as
// openid-client replaces this class and keeps the IdentityProvider interface.
interface OidcStrategyLike {
  authenticate(req: unknown, options?: unknown): void;
}
type OidcVerify = (
  iss: string,
  sub: string,
  profile: unknown,
  claims: Record<string, unknown>,
  accessToken: string,
  refreshToken: string,
  params: unknown,
  done: (err: unknown, user?: ExternalProfile) => void,
) => void;
type OidcStrategyClass = new (options: Record<string, unknown>, verify: OidcVerify) => OidcStrategyLike;
// Loaded with the first provider: with its dependencies it costs megabytes of memory a hub without Azure AD sign-in does not need.
let oidcStrategy: OidcStrategyClass | undefined;
const loadOidcStrategy = () => (oidcStrategy ??= (createRequire(import.meta.url)('passport-azure-ad') as { OIDCStrategy: OidcStrategyClass }).OIDCStrategy);

/** Where the library keeps its {state, nonce} tuple on the request object we hand it (never a real session). */
const SESSION_KEY = 'mcp-hub-azure-ad';
const MULTI_TENANT = new Set(['common', 'organizations']);

interface StateTuple {
  state: string;
  nonce: string;
}
interface ShimRequest {
  query: Record<string, unknown>;
  body: Record<string, unknown>;
  session: Record<string, { content?: (StateTuple & { timeStamp?: number })[] }>;
}

/**
 * Azure AD (Microsoft Entra ID) OpenID Connect with passport-azure-ad's OIDCStrategy: authorization code flow,
 * id_token checked by the library (signature from the tenant's JWKS, issuer, audience, expiry, nonce).
 *
 * The library has no PKCE and keeps state and nonce in express-session or in a cookie it encrypts with a fixed IV.
 * Instead: its session tuple is read from (and restored onto) a plain request object and kept in the hub's
 * AuthorizationStore, and PKCE S256 is added through its extra authorization/token request parameters.
 */
export class AzureAdIdentityProvider implements IdentityProvider {
  readonly id = SignInProvider.AZURE_AD;

  private readonly OIDCStrategy = loadOidcStrategy();

  constructor(
    private readonly config: AzureAdSignInConfig,
    private readonly flowTtlSeconds: number,
  ) {}

  async authorizationUrl(store: AuthorizationStore, redirectUri: string): Promise<string> {
    const codeVerifier = newCodeVerifier();
    const req: ShimRequest = { query: {}, body: {}, session: {} };
    const outcome = await runStrategy(this.strategy(redirectUri), req, {
      extraAuthReqQueryParams: { code_challenge: s256Challenge(codeVerifier), code_challenge_method: 'S256' },
    });
    const tuple = req.session[SESSION_KEY]?.content?.at(-1);
    if (outcome.kind !== 'redirect' || !tuple) {
      throw new SignInFailure(SignInErrorCode.PROVIDER_ERROR, 'Azure AD sign-in could not be started; try again later', reasonOf(outcome));
    }
    await store.save({ state: tuple.state, nonce: tuple.nonce, codeVerifier });
    return outcome.url;
  }

  async identify(request: CallbackRequest, store: AuthorizationStore, redirectUri: string): Promise<ExternalProfile> {
    const body = request.body ?? {};
    const params = request.query.code !== undefined || request.query.error !== undefined ? request.query : body;
    const state = typeof params.state === 'string' ? params.state : '';
    const pending = state ? await store.take(state) : null;
    const refused = providerErrorOf(params, 'Azure AD');
    if (refused) throw refused;
    if (!pending?.nonce) {
      throw new SignInFailure(
        SignInErrorCode.INVALID_STATE,
        'This sign-in link is invalid, expired or was already used: start again from the sign-in page',
        'state is missing, unknown, already used, expired or from another browser',
      );
    }
    const req: ShimRequest = {
      query: request.query,
      body,
      session: { [SESSION_KEY]: { content: [{ state: pending.state, nonce: pending.nonce, timeStamp: Date.now() }] } },
    };
    const outcome = await runStrategy(this.strategy(redirectUri), req, {
      extraTokenReqQueryParams: { code_verifier: pending.codeVerifier },
    });
    if (outcome.kind === 'success') return outcome.user as ExternalProfile;
    throw classify(reasonOf(outcome));
  }

  private strategy(redirectUri: string): OidcStrategyLike {
    const multiTenant = MULTI_TENANT.has(this.config.tenantId.toLowerCase());
    return new this.OIDCStrategy(
      {
        identityMetadata: this.config.metadataUrl,
        clientID: this.config.clientId,
        clientSecret: this.config.clientSecret,
        responseType: 'code',
        responseMode: 'query',
        redirectUrl: redirectUri,
        allowHttpForRedirectUrl: redirectUri.startsWith('http:'),
        validateIssuer: true,
        // Multi-tenant documents carry a {tenantid} placeholder as issuer: accept exactly the allowed tenants.
        issuer: multiTenant ? this.config.allowedTenants.map((tid) => `https://login.microsoftonline.com/${tid}/v2.0`) : undefined,
        scope: ['openid', 'profile', 'email'],
        sessionKey: SESSION_KEY,
        nonceLifetime: this.flowTtlSeconds,
        nonceMaxAmount: 1,
        passReqToCallback: false,
        loggingLevel: 'error',
        loggingNoPII: true,
      },
      (_iss, _sub, _profile, claims, _accessToken, _refreshToken, _params, done) => done(null, toProfile(claims)),
    );
  }
}

function toProfile(claims: Record<string, unknown>): ExternalProfile {
  const email = typeof claims.email === 'string' && claims.email ? claims.email.toLowerCase() : null;
  return {
    provider: SignInProvider.AZURE_AD,
    subject: String(claims.sub),
    email,
    // Entra ID does not vouch for `email` by itself (nOAuth): only email_verified or the optional xms_edov claim do.
    emailVerified: email !== null && (isTrue(claims.email_verified) || isTrue(claims.xms_edov)),
    displayName: typeof claims.name === 'string' ? claims.name : null,
    tenantId: typeof claims.tid === 'string' ? claims.tid.toLowerCase() : undefined,
    roles: strings(claims.roles),
    groups: strings(claims.groups),
    amr: strings(claims.amr),
  };
}

const isTrue = (value: unknown) => value === true || value === 'true' || value === 1 || value === '1';
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

function reasonOf(outcome: StrategyOutcome): string {
  if (outcome.kind === 'fail') return outcome.reason;
  if (outcome.kind === 'error') return outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
  return `unexpected ${outcome.kind}`;
}

/** The library reports every failure as text ("In _validateResponse: jwt issuer is invalid"): name the check. */
const TOKEN_CHECKS: [RegExp, string][] = [
  [/issuer/i, 'its issuer is not the configured Azure AD tenant'],
  [/audience|azp/i, 'it was issued to another application'],
  [/expired|not active|nbf/i, 'it has expired or is not valid yet'],
  [/nonce/i, 'its nonce does not belong to this sign-in'],
  [/signature|algorithm|kid|PEM|jwt|token/i, 'its signature or format could not be verified'],
];

function classify(reason: string): SignInFailure {
  if (/redeem authorization code|token_type|id_token is not received/i.test(reason)) {
    return new SignInFailure(SignInErrorCode.TOKEN_EXCHANGE_FAILED, 'Azure AD did not accept the sign-in code: start again from the sign-in page', reason);
  }
  if (/metadata/i.test(reason)) {
    return new SignInFailure(SignInErrorCode.PROVIDER_ERROR, 'Azure AD could not be reached; try again later', reason);
  }
  const check = TOKEN_CHECKS.find(([pattern]) => pattern.test(reason));
  const why = check ? check[1] : 'it did not pass validation';
  return new SignInFailure(SignInErrorCode.ID_TOKEN_INVALID, `The ID token from Azure AD was refused: ${why}`, reason);
}
